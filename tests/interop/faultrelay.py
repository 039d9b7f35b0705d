# SPDX-License-Identifier: GPL-3.0-or-later
"""A small SMTP relay for the ledger tests: passes a client's dialogue to a server byte for byte,
and for the messages it is told to, makes one of the faults a real network makes.

  faultrelay.py LISTEN-PORT SERVER-PORT [--drop-reply N] [--flip N] [--refuse-421 N] [--seconds S]

  --drop-reply N  for every message whose sequence is a multiple of N, the first time it is sent:
                  the server gets the whole message, then the connection to the client is closed
                  before the server's reply after the data reaches it (the classic lost reply;
                  RFC 5321 section 4.1.1.4: the client cannot know whether the message was taken)
  --flip N        for every message whose sequence is a multiple of N (every time it is sent):
                  one byte of the first body line is changed on its way (corruption in transit)
  --refuse-421 N  for every message whose sequence is a multiple of N (every time it is sent): the
                  end of data is kept from the server, the client gets "421 4.3.2" instead (a server
                  going down, RFC 5321 section 3.8) and both connections are closed
  --seconds S     serve for S seconds at most (default 300)

The sequence is the second part of the Message-ID postal writes, <RUN.SEQ.STREAM.sender>, in hex.
It listens on 127.0.0.1 and connects to 127.0.0.1 only. Each fault done is printed to stdout
as "dropped RUN.SEQ", "flipped RUN.SEQ" or "refused RUN.SEQ" (the sequence in decimal, as ledgers write it), one line
each, flushed at once. Data is taken to follow a DATA command (postal sends it only after 354).
"""
import argparse
import asyncio
import re
import sys

MESSAGE_ID = re.compile(rb"^Message-I[dD]: <([0-9A-F]{16})\.([0-9A-Fa-f]+)\.", re.IGNORECASE)


class Relay:
    def __init__(self, server_port, drop_every, flip_every, refuse_every):
        self.server_port = server_port
        self.refuse_every = refuse_every
        self.drop_every = drop_every
        self.flip_every = flip_every
        self.dropped = set()

    def chosen(self, every, seq):
        return every > 0 and seq is not None and seq % every == 0

    async def session(self, client_in, client_out):
        try:
            server_in, server_out = await asyncio.open_connection("127.0.0.1", self.server_port)
        except OSError:
            client_out.close()
            return
        lost = asyncio.Event()  # set once the reply after a chosen message's data is to be lost
        upstream = asyncio.ensure_future(self.to_server(client_in, server_out, client_out, lost))
        try:
            while True:
                chunk = await server_in.read(65536)
                if not chunk or lost.is_set():
                    break
                client_out.write(chunk)
                await client_out.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            upstream.cancel()
            for w in (client_out, server_out):
                w.close()

    async def to_server(self, client_in, server_out, client_out, lost):
        in_data = in_body = False
        ident = None
        try:
            while True:
                line = await client_in.readline()
                if not line:
                    break
                if not in_data:
                    if line[:4].upper() == b"DATA":
                        in_data, in_body, ident = True, False, None
                elif line == b".\r\n":
                    in_data = False
                    if ident and self.chosen(self.refuse_every, ident[1]):
                        lost.set()
                        report("refused", ident)
                        client_out.write(b"421 4.3.2 faultrelay: service shutting down\r\n")
                        await client_out.drain()
                        server_out.close()  # the server never sees the end of data: no message
                        break
                    if ident and self.chosen(self.drop_every, ident[1]) and ident not in self.dropped:
                        self.dropped.add(ident)
                        lost.set()  # before the end of data goes on: whatever answers it is lost
                        report("dropped", ident)
                elif not in_body:
                    m = MESSAGE_ID.match(line)
                    if m:
                        ident = (m.group(1).decode(), int(m.group(2), 16))
                    in_body = line == b"\r\n"
                elif ident and self.chosen(self.flip_every, ident[1]) and len(line) > 2:
                    flipped = bytes([line[0] ^ 0x01]) + line[1:]
                    line = flipped if flipped[:1] != b"." else line[:1] + bytes([line[1] ^ 0x01]) + line[2:]
                    report("flipped", ident)
                    ident = (ident[0], None)  # one byte per message
                server_out.write(line)
                await server_out.drain()
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass


def report(what, ident):
    print(f"{what} {ident[0]}.{ident[1]}", flush=True)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("listen", type=int)
    p.add_argument("server", type=int)
    p.add_argument("--drop-reply", type=int, default=0)
    p.add_argument("--flip", type=int, default=0)
    p.add_argument("--refuse-421", type=int, default=0)
    p.add_argument("--seconds", type=float, default=300)
    a = p.parse_args()
    relay = Relay(a.server, a.drop_reply, a.flip, a.refuse_421)
    server = await asyncio.start_server(relay.session, "127.0.0.1", a.listen, limit=1 << 20)
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), a.seconds)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

#!/usr/bin/env python3
"""serve.py PORT MODE - one HTTP server on 127.0.0.1:PORT for tests/http/mkcaps.sh, answering
every GET with a 2400-byte text body written in pieces (so it spans segments):
  until-fin  HTTP/1.0 with Content-Type and no Content-Length: the body ends when the server
             closes the connection (RFC 9112 6.3 item 8)
  chunked    HTTP/1.1, Transfer-Encoding: chunked, Connection: close
Serves until killed (the caller bounds it with timeout)."""
import http.server
import sys

PIECES = [b'piece %02d ' % i + b'.' * 90 + b'\n' for i in range(24)]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if sys.argv[2] == 'chunked':
            self.protocol_version = 'HTTP/1.1'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        if sys.argv[2] == 'chunked':
            self.send_header('Transfer-Encoding', 'chunked')
            self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.flush()
        for p in PIECES:
            if sys.argv[2] == 'chunked':
                p = b'%x\r\n' % len(p) + p + b'\r\n'
            self.wfile.write(p)
            self.wfile.flush()
        if sys.argv[2] == 'chunked':
            self.wfile.write(b'0\r\n\r\n')
        self.close_connection = True

    def log_message(self, *args):
        pass


http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()

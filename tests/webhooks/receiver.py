"""A real HTTP receiver on a free loopback port that records what it got and answers a script of statuses."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, statuses=(), body=None, content_type="text/plain; charset=utf-8", delay=0):
        self.statuses = list(statuses)  # answered in order; 200 once they run out
        self.delay = delay  # seconds each answer waits (a slow partner)
        self.request_times, self.answer_times = [], []  # time.monotonic() of each request and each answer
        self.body, self.content_type = body, content_type  # the answer's body: "status <code>" unless given
        self.requests = []  # (headers as a dict, body as str)
        self.answered_at = None  # time.monotonic() of the last answer
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                receiver.request_times.append(time.monotonic())
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                payload = receiver.body if receiver.body is not None else f"status {status}".encode()
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url + "elsewhere/")
                self.send_header("Content-Type", receiver.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                receiver.answered_at = time.monotonic()
                receiver.answer_times.append(receiver.answered_at)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *args: None  # a slow answer's sender may have hung up (its deadline)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

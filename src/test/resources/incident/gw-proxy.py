# Gateway stand-in for the incident playbook ITs: a small nginx-like reverse proxy. Reads 'listen N;'
# and 'proxy_pass URL;' from the config file given as its argument, re-reads it on SIGHUP (nginx -s
# reload), answers 502 with an nginx-style error log line when the upstream refuses, and on SIGUSR1
# closes its listening socket while staying alive (a wedged gateway: process up, port closed).
import http.client
import http.server
import re
import signal
import sys
import threading
import time
import urllib.parse

conf_path = sys.argv[1]
state = {}


def log(level, msg):
    sys.stderr.write(time.strftime("%Y/%m/%d %H:%M:%S") + " [" + level + "] " + msg + "\n")
    sys.stderr.flush()


def read_conf():
    text = open(conf_path).read()
    state["listen"] = int(re.search(r"^\s*listen\s+(\d+)\s*;", text, re.M).group(1))
    state["upstream"] = re.search(r"^\s*proxy_pass\s+(\S+?)\s*;", text, re.M).group(1)


class Proxy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        u = urllib.parse.urlsplit(state["upstream"])
        try:
            c = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=3)
            c.request("GET", self.path)
            r = c.getresponse()
            body = r.read()
            self.send_response(r.status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError as e:
            log("error", "connect() failed (%s) while connecting to upstream, upstream: \"%s%s\"" % (e, state["upstream"], self.path))
            body = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
            self.send_response(502)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def reload(signum, frame):
    read_conf()
    log("notice", "signal process started: reload, upstream now " + state["upstream"])


def wedge(signum, frame):
    log("crit", "accept() failed: listening socket on port %d closed" % state["listen"])
    threading.Thread(target=server.shutdown).start()


read_conf()
signal.signal(signal.SIGHUP, reload)
signal.signal(signal.SIGUSR1, wedge)
server = http.server.ThreadingHTTPServer(("0.0.0.0", state["listen"]), Proxy)
log("notice", "start worker processes, listening on port %d" % state["listen"])
server.serve_forever()
server.server_close()
while True:
    time.sleep(3600)

# A docker socket in front of the host's dockerd (run inside the test host, as root) that holds back an attach stream's
# output after its first line and, once the client has read the exit status of the first wait, kills sshd's processes
# for the open connections: the run's exit status came through, the rest of its output never did, as when the wait's
# answer overtakes the attach's last frames and the ssh connection then breaks. With "no-log-reads" it answers a read of
# a container's log as dockerd does under a logging driver that keeps none (none, syslog, ...). With
# "break-exec-status" it passes everything but breaks the ssh connections whenever an exec's exit status is asked for,
# before it answers: a connection that breaks, and breaks again, just after an exec'd command ended. With "break-kill" it
# breaks them when a container is to be killed, before dockerd hears of it. With "break-remove" it breaks them
# when a container is to be removed, before dockerd hears of it; with "refuse-remove" it closes such a request
# unanswered, as a daemon gone away does. With "silence-kill" the first kill of a container is not passed on and
# dockerd is stopped (SIGSTOP) for SILENCE seconds, longer than opsctl waits for an answer; with
# "silence-exec-status" dockerd is so stopped when an exec's exit status is first asked for, which it answers once
# it goes on. With "break-inspect-after-signal" every container inspect after a signal went out breaks the ssh
# connections before it is answered. With "cut-log-reads" the run's output is cut as without a mode, and the read of its
# log that follows is passed on up to its first line only, when the ssh connections are broken again: the log read
# then ends early. With "tail-log-reads" that read is answered with the log's last line only, as dockerd answers it
# when its log driver kept only the newest lines (rotated, size-capped).
import os
import signal
import socket
import subprocess
import sys
import threading
import time

LISTEN, DAEMON = sys.argv[1], "/var/run/docker.sock"
NO_LOG_READS = sys.argv[2:] == ["no-log-reads"]
BREAK_EXEC_STATUS = sys.argv[2:] == ["break-exec-status"]
BREAK_KILL = sys.argv[2:] == ["break-kill"]
MODE = sys.argv[2] if len(sys.argv) > 2 else ""
SILENCE = 65
CUT_OUTPUT = ("", "no-log-reads", "cut-log-reads", "tail-log-reads")
signalled = threading.Event()
NOT_READABLE = b'{"message":"configured logging driver does not support reading"}\n'

KILL_SSH_CONNECTIONS = ("below() { for c in $(cat /proc/$1/task/*/children 2>/dev/null); do echo $c; below $c; done; };"
                        " for p in $(below $(cat /run/sshd.pid)); do case $(cat /proc/$p/comm 2>/dev/null) in sshd*)"
                        " kill -KILL $p;; esac; done; true")
broken = threading.Event()


def request_head(client):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def client_to_daemon(client, daemon, is_wait):
    try:
        while True:
            chunk = client.recv(65536)
            if not chunk:
                break
            daemon.sendall(chunk)
        daemon.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    if is_wait and not broken.is_set() and MODE in CUT_OUTPUT:
        # the client closed its end of the wait: it has read the exit status
        broken.set()
        subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
        print("killed the ssh connections once the wait's answer was read", flush=True)


def handle(client):
    head = request_head(client)
    line = head.split(b"\r\n", 1)[0]
    if NO_LOG_READS and b"/logs" in line:
        client.sendall(b"HTTP/1.1 501 Not Implemented\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                       b"Connection: close\r\n\r\n" % len(NOT_READABLE) + NOT_READABLE)
        client.shutdown(socket.SHUT_WR)
        return
    if BREAK_EXEC_STATUS and line.startswith(b"GET /") and b"/exec/" in line:
        subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
        print("killed the ssh connections when the exec's exit status was asked for", flush=True)
        return
    if BREAK_KILL and line.startswith(b"POST /") and b"/kill" in line:
        subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
        print("killed the ssh connections when the container was to be killed", flush=True)
        return
    if MODE == "break-remove" and line.startswith(b"DELETE /") and b"/containers/" in line:
        subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
        print("killed the ssh connections when the container was to be removed", flush=True)
        return
    if MODE == "refuse-remove" and line.startswith(b"DELETE /") and b"/containers/" in line:
        print("closed the container's removal unanswered", flush=True)
        client.close()
        return
    if MODE == "silence-kill" and line.startswith(b"POST /") and b"/kill" in line and not signalled.is_set():
        signalled.set()
        print("stopped dockerd when the container was to be killed", flush=True)
        silence()
        return
    if MODE == "silence-exec-status" and line.startswith(b"GET /") and b"/exec/" in line and not signalled.is_set():
        signalled.set()
        # stopped before the request is passed on, so that it cannot be answered first
        pid = stop_dockerd()
        print("stopped dockerd when the exec's exit status was asked for", flush=True)
        threading.Thread(target=go_on_later, args=(pid,), daemon=True).start()
    if MODE == "break-inspect-after-signal" and signalled.is_set() and line.startswith(b"GET /") and b"/json" in line:
        subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
        print("killed the ssh connections when a container was inspected after a signal", flush=True)
        return
    if MODE == "break-inspect-after-signal" and line.startswith(b"POST /") and b"/kill" in line:
        signalled.set()
    if MODE == "tail-log-reads" and b"/logs?" in line and broken.is_set():
        head = head.replace(b"/logs?", b"/logs?tail=1&", 1)
        print("asked for the log's last line only", flush=True)
    daemon = socket.socket(socket.AF_UNIX)
    daemon.connect(DAEMON)
    daemon.sendall(head)
    holds = b"/attach" in line and not broken.is_set() and MODE in CUT_OUTPUT
    is_wait = b"/wait" in line
    cuts_log = MODE == "cut-log-reads" and b"/logs" in line and broken.is_set()
    threading.Thread(target=client_to_daemon, args=(client, daemon, is_wait), daemon=True).start()
    seen, holding = b"", False
    try:
        while True:
            chunk = daemon.recv(65536)
            if not chunk:
                break
            if holding:
                continue
            seen += chunk
            if cuts_log and b"start\n" in seen:
                client.sendall(chunk[:len(chunk) - (len(seen) - seen.index(b"start\n") - len(b"start\n"))])
                subprocess.run(["bash", "-c", KILL_SSH_CONNECTIONS])
                print("killed the ssh connections when the log read had passed its first line", flush=True)
                return
            client.sendall(chunk)
            holding = holds and b"start\n" in seen
        if holding:
            # neither the rest nor the end of the stream: the client is left waiting until its connection breaks
            broken.wait()
            return
        client.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def stop_dockerd():
    pid = int(open("/run/docker.pid").read())
    os.kill(pid, signal.SIGSTOP)
    return pid


def go_on_later(pid):
    time.sleep(SILENCE)
    os.kill(pid, signal.SIGCONT)
    print("let dockerd go on", flush=True)


def silence():
    go_on_later(stop_dockerd())


def main():
    if os.path.exists(LISTEN):
        os.unlink(LISTEN)
    server = socket.socket(socket.AF_UNIX)
    server.bind(LISTEN)
    server.listen(16)
    with open(LISTEN + ".pid", "w") as f:
        f.write(str(os.getpid()))
    while True:
        client, _ = server.accept()
        threading.Thread(target=handle, args=(client,), daemon=True).start()


main()

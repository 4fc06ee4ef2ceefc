"""
lib.py - harness for the motcua API tests: the server process, a small
HTTP client, assertions and the test registry. Standard library only.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

TIMEOUT = 120  # seconds per HTTP request (the ASan build is slow)


class TestFailure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def short(b, n=300):
    if isinstance(b, (bytes, bytearray)):
        b = b.decode("utf-8", "replace")
    b = str(b).replace("\n", "\\n")
    return b if len(b) <= n else b[:n] + "..."


# ---------------------------------------------------------------- HTTP


class Resp:
    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self._json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except Exception as e:  # noqa: BLE001
                raise TestFailure("%s %s -> %d: body is not JSON (%s): %s"
                                  % (self.method, self.path, self.status, e,
                                     short(self.body)))
        return self._json

    def __repr__(self):
        return "%s %s -> %d %s" % (self.method, self.path, self.status,
                                   short(self.body))


def error_shape_problem(r):
    """None when r's body is {"error":{"code":str,"message":str,...}}."""
    try:
        j = json.loads(r.body.decode("utf-8"))
    except Exception:  # noqa: BLE001
        return "body is not JSON: %s" % short(r.body)
    e = j.get("error") if isinstance(j, dict) else None
    if not isinstance(e, dict):
        return "no error object: %s" % short(r.body)
    if not isinstance(e.get("code"), str) or not e.get("code"):
        return "error.code missing: %s" % short(r.body)
    if not isinstance(e.get("message"), str) or not e.get("message"):
        return "error.message missing: %s" % short(r.body)
    return None


class Client:
    """One server address. Every request records error bodies that do not
    have the documented shape (checked by a final test)."""

    def __init__(self, host, port):
        self.host = host
        self.port = port
        self.lock = threading.Lock()
        self.bad_error_bodies = []
        self.nrequests = 0

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port,
                                          timeout=TIMEOUT)

    def request(self, method, path, body=None, token=None, headers=None,
                query=None, cookie=None, conn=None, ctype=None):
        hdrs = {}
        data = None
        if query:
            path = path + "?" + urllib.parse.urlencode(
                query, quote_via=urllib.parse.quote)
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
                hdrs["Content-Type"] = ctype or "application/json"
            else:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                hdrs["Content-Type"] = ctype or "application/json"
        elif ctype:
            hdrs["Content-Type"] = ctype
        if token:
            hdrs["Authorization"] = "Bearer " + token
        if cookie:
            hdrs["Cookie"] = cookie
        if headers:
            hdrs.update(headers)
        own = conn is None
        c = self.conn() if own else conn
        try:
            c.request(method, path, body=data, headers=hdrs)
            resp = c.getresponse()
            rbody = resp.read()
            r = Resp(method, path, resp.status, resp.getheaders(), rbody)
        finally:
            if own:
                c.close()
        with self.lock:
            self.nrequests += 1
            if (r.status >= 400 and method != "HEAD" and
                    path.startswith("/api/")):
                p = error_shape_problem(r)
                if p is not None:
                    self.bad_error_bodies.append("%s %s -> %d: %s"
                                                 % (method, path, r.status,
                                                    p))
        return r


def expect(r, status, what=""):
    if r.status != status:
        raise TestFailure("%s%s %s: expected %d, got %d: %s"
                          % (what + ": " if what else "", r.method, r.path,
                             status, r.status, short(r.body)))
    return r


def expect_error(r, status, code=None, field=None, what=""):
    expect(r, status, what)
    p = error_shape_problem(r)
    check(p is None, "%s %s -> %d: %s" % (r.method, r.path, r.status, p))
    e = r.json()["error"]
    if code is not None:
        codes = code if isinstance(code, (list, tuple)) else [code]
        check(e["code"] in codes,
              "%s %s: expected error.code %s, got %r (%s)"
              % (r.method, r.path, "/".join(codes), e["code"],
                 e.get("message")))
    if field is not None:
        check(e.get("field") == field,
              "%s %s: expected error.field %r, got %r (%s)"
              % (r.method, r.path, field, e.get("field"), e.get("message")))
    return e


# ---------------------------------------------------------------- server


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary, tmp, port, env, db=None):
        self.binary = binary
        self.tmp = tmp
        self.port = port
        self.env = env
        # a SQLite file in tmp, or a postgresql:// URL (run.py --pg)
        self.db = db or os.path.join(tmp, "t.db")
        self.files = os.path.join(tmp, "files")
        self.extra_args = []  # more `motcua serve` options
        self.proc = None
        self.incarnation = 0
        self.stderr_paths = []

    def start(self):
        self.incarnation += 1
        errp = os.path.join(self.tmp, "serve.%d.stderr" % self.incarnation)
        outp = os.path.join(self.tmp, "serve.%d.stdout" % self.incarnation)
        self.stderr_paths.append(errp)
        self.errf = open(errp, "wb")
        self.outf = open(outp, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen",
             "127.0.0.1:%d" % self.port, "--test-clock", "--files",
             self.files, "--trust-proxy"] + self.extra_args,
            stdout=self.outf, stderr=self.errf, env=self.env,
            cwd=self.tmp)
        self.wait_healthy()

    def wait_healthy(self, limit=60.0):
        deadline = time.time() + limit
        last = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise TestFailure("server exited with %d while starting: %s"
                                  % (self.proc.returncode,
                                     short(self.stderr_text(), 2000)))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=5)
                c.request("GET", "/api/v1/health")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
                last = "status %d" % r.status
            except OSError as e:
                last = str(e)
            time.sleep(0.1)
        raise TestFailure("server not healthy after %.0fs: %s"
                          % (limit, last))

    def stderr_text(self):
        out = []
        for p in self.stderr_paths:
            try:
                with open(p, "rb") as f:
                    out.append(f.read().decode("utf-8", "replace"))
            except OSError:
                pass
        return "".join(out)

    def _close_files(self):
        for f in (self.errf, self.outf):
            try:
                f.close()
            except Exception:  # noqa: BLE001
                pass

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=60)
        self._close_files()
        self.proc = None

    def stop(self, timeout=60):
        """SIGTERM; returns the exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self._close_files()
        self.proc = None
        return rc


SANITIZER_RE = re.compile(r"AddressSanitizer|LeakSanitizer|"
                          r"UndefinedBehaviorSanitizer|runtime error")


# ---------------------------------------------------------------- registry

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


# ---------------------------------------------------------------- context


class Ctx:
    """Shared state of one run: client, server, demo logins, caches."""

    def __init__(self, client, server, logins, init_output):
        self.c = client
        self.srv = server
        self.logins = logins          # username -> password
        self.init_output = init_output
        self.tokens = {}
        self.ids = {}
        self.units = {}
        self.lock = threading.Lock()
        self.counter = 0

    def seq(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def login(self, user, password=None):
        if password is None:
            password = self.logins[user]
        return self.c.request("POST", "/api/v1/sessions",
                              body={"username": user, "password": password})

    def tok(self, user):
        with self.lock:
            t = self.tokens.get(user)
        if t is not None:
            return t
        r = self.login(user)
        expect(r, 201, "login %s" % user)
        t = r.json()["token"]
        with self.lock:
            self.tokens[user] = t
            self.ids[user] = r.json()["account"]["id"]
        return t

    def uid(self, user):
        if user not in self.ids:
            self.tok(user)
        return self.ids[user]

    def req(self, user, method, path, body=None, **kw):
        token = self.tok(user) if user else None
        return self.c.request(method, path, body=body, token=token, **kw)

    def unit(self, code):
        if code not in self.units:
            r = expect(self.c.request("GET", "/api/v1/units/" + code), 200,
                       "unit " + code)
            self.units[code] = r.json()["id"]
        return self.units[code]

    def set_clock(self, offset):
        """Move the server clock (--test-clock); sessions may expire, so
        every cached token is dropped."""
        r = self.login("admin")
        expect(r, 201, "admin login for the test clock")
        r = self.c.request("POST", "/api/v1/test/clock",
                           body={"offset_seconds": offset},
                           token=r.json()["token"])
        expect(r, 200, "set test clock")
        with self.lock:
            self.tokens.clear()

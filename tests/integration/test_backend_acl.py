"""Defence in depth: a namespace whose backend connections run as its own Redis ACL user."""
import subprocess

import pytest
import redis

from conftest import stdnetd_binary

CONFIG = """
[backend]
url = "{backend}"

[[listener]]
address = "127.0.0.1:{port}"
namespace = "acl"

[[namespace]]
name = "acl"
prefix = "acl:"
password = "acl-secret"
backend_user = {{ name = "ns_acl", password = "ns-acl-pass" }}
"""


def test_print_acl_and_acl_user_confines_raw_scripts(make_stdnetd, redis_server, tmp_path):
    path = tmp_path / "acl.toml"
    path.write_text(CONFIG.format(backend=redis_server.url, port=1))
    out = subprocess.run([stdnetd_binary(), "--print-acl", str(path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith('ACL SETUSER "ns_acl" reset on ">ns-acl-pass" "~acl:*" "&acl:*"')
    for line in out.splitlines():
        subprocess.run(["redis-cli", "-p", str(redis_server.port)], input=line, text=True,
                       check=True, capture_output=True)
    direct = redis_server.client()
    direct.set("other", "secret")
    proxy = make_stdnetd(redis_server, CONFIG)
    c = proxy.client()
    assert c.set("k", "v")
    assert direct.get("acl:k") == b"v"
    # Raw scripts are allowed for this namespace: their keys are prefixed, and the ACL user stops
    # a script that names a foreign key itself.
    assert c.eval("return redis.call('GET', KEYS[1])", 1, "k") == b"v"
    with pytest.raises(redis.ResponseError, match="(?i)can't access|can't run"):
        c.eval("return redis.call('GET', 'other')", 0)
    with pytest.raises(redis.ResponseError, match="(?i)can't access|can't run"):
        c.eval("return redis.call('FLUSHALL')", 0)
    # The proxy's own scans run on its privileged connection.
    assert c.keys("*") == [b"k"]
    assert c.dbsize() == 1
    assert c.flushdb()
    assert direct.get("other") == b"secret"
    users = {entry.get("user") for entry in direct.client_list()}
    assert "ns_acl" in users

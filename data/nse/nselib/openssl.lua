-- netkit's `openssl` module (ours): the digests nmap's documented
-- openssl module offers, computed by OpenSSL's libcrypto.
local nk = require "nk"
local openssl = {}
function openssl.digest(name, data) return (nk.digest(name:lower(), data)) end
function openssl.md5(d) return (nk.digest("md5", d)) end
function openssl.sha1(d) return (nk.digest("sha1", d)) end
function openssl.supported_digests() return {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"} end
return openssl

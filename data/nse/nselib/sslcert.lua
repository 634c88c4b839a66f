-- netkit's `sslcert` (ours, from nmap's documented NSE API, RFC 5280 for
-- the certificate and each protocol's RFC for its STARTTLS exchange):
-- the certificate object scripts get from socket:get_ssl_certificate(),
-- and getCertificate(host, port) over TLS or STARTTLS.
local der = require "asn1der"
local nk = require "nk"
local nmap = require "nmap"
local sslcert = {}

-- attribute and algorithm names as OpenSSL's long names (what nmap shows)
local NAMES = {
  ["2.5.4.3"] = "commonName", ["2.5.4.6"] = "countryName", ["2.5.4.7"] = "localityName",
  ["2.5.4.8"] = "stateOrProvinceName", ["2.5.4.10"] = "organizationName",
  ["2.5.4.11"] = "organizationalUnitName", ["2.5.4.5"] = "serialNumber",
  ["2.5.4.9"] = "streetAddress", ["2.5.4.17"] = "postalCode", ["2.5.4.12"] = "title",
  ["2.5.4.4"] = "surname", ["2.5.4.42"] = "givenName",
  ["1.2.840.113549.1.9.1"] = "emailAddress", ["0.9.2342.19200300.100.1.25"] = "domainComponent",
  ["1.2.840.113549.1.1.1"] = "rsa", ["1.2.840.10045.2.1"] = "ec", ["1.2.840.10040.4.1"] = "dsa",
  ["1.3.101.112"] = "ED25519", ["1.3.101.113"] = "ED448",
  ["1.2.840.10045.3.1.7"] = "prime256v1", ["1.3.132.0.34"] = "secp384r1",
  ["1.3.132.0.35"] = "secp521r1",
  ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
  ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
  ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
  ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
  ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
  ["1.2.840.113549.1.1.10"] = "rsassaPss",
  ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256", ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
  ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512", ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
}
local EXT = {
  ["2.5.29.14"] = "X509v3 Subject Key Identifier",
  ["2.5.29.35"] = "X509v3 Authority Key Identifier",
  ["2.5.29.19"] = "X509v3 Basic Constraints", ["2.5.29.15"] = "X509v3 Key Usage",
  ["2.5.29.37"] = "X509v3 Extended Key Usage",
  ["2.5.29.17"] = "X509v3 Subject Alternative Name",
  ["2.5.29.31"] = "X509v3 CRL Distribution Points",
  ["2.5.29.32"] = "X509v3 Certificate Policies",
  ["1.3.6.1.5.5.7.1.1"] = "Authority Information Access",
}
local KEY_USAGE = {"Digital Signature", "Non Repudiation", "Key Encipherment",
                   "Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign",
                   "Encipher Only", "Decipher Only"}
local EKU = {["1.3.6.1.5.5.7.3.1"] = "TLS Web Server Authentication",
             ["1.3.6.1.5.5.7.3.2"] = "TLS Web Client Authentication"}

local function hexcolon(v)
  return (v:gsub(".", function(c) return ("%02X:"):format(c:byte()) end):gsub(":$", ""))
end

local function name_of(s, node)
  local t = {}
  for _, rdn in ipairs(der.children(s, node.a, node.b)) do
    for _, atv in ipairs(der.children(s, rdn.a, rdn.b)) do
      local kv = der.children(s, atv.a, atv.b)
      local oid = der.oid(s:sub(kv[1].a, kv[1].b))
      t[NAMES[oid] or oid] = s:sub(kv[2].a, kv[2].b)
    end
  end
  return t
end

local function time_of(s, node)
  local v = s:sub(node.a, node.b)
  local y, rest
  if node.tag == 0x17 then -- UTCTime YYMMDDHHMMSSZ
    y = tonumber(v:sub(1, 2)); y = y < 50 and 2000 + y or 1900 + y; rest = v:sub(3)
  else
    y = tonumber(v:sub(1, 4)); rest = v:sub(5)
  end
  return {year = y, month = tonumber(rest:sub(1, 2)), day = tonumber(rest:sub(3, 4)),
          hour = tonumber(rest:sub(5, 6)), min = tonumber(rest:sub(7, 8)),
          sec = tonumber(rest:sub(9, 10)) or 0}
end

local function ext_value(oid, s, v)
  if oid == "2.5.29.14" then
    local _, a, b = der.tlv(v, 1)
    return hexcolon(v:sub(a, b))
  elseif oid == "2.5.29.35" then
    local _, a, b = der.tlv(v, 1)
    for _, c in ipairs(der.children(v, a, b)) do
      if c.tag == 0x80 then return hexcolon(v:sub(c.a, c.b)) end
    end
  elseif oid == "2.5.29.19" then
    local _, a, b = der.tlv(v, 1)
    local ca, out = false, {}
    for _, c in ipairs(der.children(v, a, b)) do
      if c.tag == 0x01 then ca = v:byte(c.a) ~= 0
      elseif c.tag == 0x02 then out[#out + 1] = "pathlen:" .. der.integer(v:sub(c.a, c.b)) end
    end
    table.insert(out, 1, ca and "CA:TRUE" or "CA:FALSE")
    return table.concat(out, ", ")
  elseif oid == "2.5.29.17" then
    local _, a, b = der.tlv(v, 1)
    local out = {}
    for _, c in ipairs(der.children(v, a, b)) do
      local val = v:sub(c.a, c.b)
      if c.tag == 0x82 then out[#out + 1] = "DNS:" .. val
      elseif c.tag == 0x81 then out[#out + 1] = "email:" .. val
      elseif c.tag == 0x86 then out[#out + 1] = "URI:" .. val
      elseif c.tag == 0x87 and #val == 4 then
        out[#out + 1] = ("IP Address:%d.%d.%d.%d"):format(val:byte(1, 4))
      end
    end
    return table.concat(out, ", ")
  elseif oid == "2.5.29.15" then
    local _, a, b = der.tlv(v, 1)
    local bits, out = v:sub(a + 1, b), {}
    for i = 1, #KEY_USAGE do
      local byte = bits:byte((i - 1) // 8 + 1) or 0
      if byte & (0x80 >> ((i - 1) % 8)) ~= 0 then out[#out + 1] = KEY_USAGE[i] end
    end
    return table.concat(out, ", ")
  elseif oid == "2.5.29.37" then
    local _, a, b = der.tlv(v, 1)
    local out = {}
    for _, c in ipairs(der.children(v, a, b)) do
      local o = der.oid(v:sub(c.a, c.b))
      out[#out + 1] = EKU[o] or o
    end
    return table.concat(out, ", ")
  end
  return nil
end

local function pem_of(d)
  local b64 = require("base64").enc(d)
  local lines = {"-----BEGIN CERTIFICATE-----"}
  for i = 1, #b64, 64 do lines[#lines + 1] = b64:sub(i, i + 63) end
  lines[#lines + 1] = "-----END CERTIFICATE-----\n"
  return table.concat(lines, "\n")
end

local Cert = {}
Cert.__index = Cert
function Cert:digest(name) return (nk.digest(name:lower(), self.der)) end

local function parse(s)
  local tag, ca, cb = der.tlv(s, 1)
  if not tag then error("DER: " .. ca .. " at byte 1", 0) end
  local top = der.children(s, ca, cb)
  local tbs = der.children(s, top[1].a, top[1].b)
  local i = 1
  if tbs[1].tag == 0xa0 then i = 2 end -- explicit version
  local c = setmetatable({der = s, pem = pem_of(s), extensions = {}}, Cert)
  c.serial = s:sub(tbs[i].a, tbs[i].b)
  local sig = der.children(s, top[2].a, top[2].b)
  local sigoid = der.oid(s:sub(sig[1].a, sig[1].b))
  c.sig_algorithm = NAMES[sigoid] or sigoid
  c.issuer = name_of(s, tbs[i + 2])
  local val = der.children(s, tbs[i + 3].a, tbs[i + 3].b)
  c.validity = {notBefore = time_of(s, val[1]), notAfter = time_of(s, val[2])}
  c.subject = name_of(s, tbs[i + 4])
  local spki = der.children(s, tbs[i + 5].a, tbs[i + 5].b)
  local alg = der.children(s, spki[1].a, spki[1].b)
  local aoid = der.oid(s:sub(alg[1].a, alg[1].b))
  local key = s:sub(spki[2].a + 1, spki[2].b) -- the BIT STRING's bytes
  c.pubkey = {type = NAMES[aoid] or aoid}
  if aoid == "1.2.840.113549.1.1.1" then
    local _, ka, kb = der.tlv(key, 1)
    local parts = der.children(key, ka, kb)
    c.pubkey.bits = der.bitlen(key:sub(parts[1].a, parts[1].b))
    c.pubkey.exponent = der.integer(key:sub(parts[2].a, parts[2].b))
  elseif aoid == "1.2.840.10045.2.1" then
    local curve = alg[2] and alg[2].tag == 0x06 and der.oid(s:sub(alg[2].a, alg[2].b))
    local cname = curve and (NAMES[curve] or curve)
    c.pubkey.bits = ({prime256v1 = 256, secp384r1 = 384, secp521r1 = 521})[cname]
                    or ((#key - 1) // 2) * 8
    c.pubkey.ecdhparams = {curve_params = {ec_curve_type = "namedcurve", curve = cname}}
  elseif aoid == "1.3.101.112" then
    c.pubkey.bits = 256
  elseif aoid == "1.3.101.113" then
    c.pubkey.bits = 456
  end
  for j = i + 6, #tbs do
    if tbs[j].tag == 0xa3 then
      local _, ea, eb = der.tlv(s, tbs[j].a, tbs[j].b)
      for _, e in ipairs(der.children(s, ea, eb)) do
        local f = der.children(s, e.a, e.b)
        local oid = der.oid(s:sub(f[1].a, f[1].b))
        local crit = #f == 3 and s:byte(f[2].a) ~= 0
        local v = s:sub(f[#f].a, f[#f].b)
        local x = {name = EXT[oid] or oid, value = ext_value(oid, s, v)}
        if crit then x.critical = true end
        c.extensions[#c.extensions + 1] = x
      end
    end
  end
  return c
end

-- the certificate object of a DER X.509 certificate; nil, why for bytes
-- that are not one (a malformed certificate is an error found at once:
-- asn1der checks every length against the bytes there are)
function sslcert.parse_der(s)
  if type(s) ~= "string" then return nil, "no certificate" end
  local ok, c = pcall(parse, s)
  if not ok then return nil, "bad certificate: " .. tostring(c) end
  return c
end

-- ---- STARTTLS, per protocol ------------------------------------------------

local function expect(sock, pattern)
  local buf = ""
  while true do
    local st, d = sock:receive()
    if not st then return false, d end
    buf = buf .. d
    if buf:find(pattern) then return true, buf end
  end
end

local function line_reply(sock, code)
  -- a (possibly multi-line) reply ending in "CODE " at a line start
  return expect(sock, "\n?" .. code .. " [^\n]*\r?\n$")
end

local STARTTLS = {}
function STARTTLS.smtp(sock)
  if not line_reply(sock, "220") then return false end
  sock:send("EHLO nmap.scanme.org\r\n")
  local ok, r = expect(sock, "%d%d%d [^\n]*\r?\n$")
  if not ok or not r:find("STARTTLS") then return false end
  sock:send("STARTTLS\r\n")
  return line_reply(sock, "220")
end
function STARTTLS.pop3(sock)
  if not expect(sock, "\n$") then return false end
  sock:send("STLS\r\n")
  local ok, r = expect(sock, "\n$")
  return ok and r:match("^%+OK") ~= nil
end
function STARTTLS.imap(sock)
  if not expect(sock, "\n$") then return false end
  sock:send("a001 STARTTLS\r\n")
  local ok, r = expect(sock, "a001 [^\n]*\n$")
  return ok and r:find("a001 OK") ~= nil
end
function STARTTLS.ftp(sock)
  if not line_reply(sock, "220") then return false end
  sock:send("AUTH TLS\r\n")
  local ok, r = expect(sock, "%d%d%d [^\n]*\r?\n$")
  return ok and r:match("^234") ~= nil
end
function STARTTLS.postgresql(sock)
  sock:send(string.pack(">I4I4", 8, 80877103)) -- SSLRequest
  local st, r = sock:receive_bytes(1)
  return st and r:sub(1, 1) == "S"
end
function STARTTLS.ldap(sock)
  -- ExtendedRequest 1.3.6.1.4.1.1466.20037 (RFC 4511 4.14)
  local oid = "1.3.6.1.4.1.1466.20037"
  local req = "\x77" .. string.char(#oid + 2) .. "\x80" .. string.char(#oid) .. oid
  local msg = "\x02\x01\x01" .. req
  sock:send("\x30" .. string.char(#msg) .. msg)
  local st, r = sock:receive()
  return st and r:find("\x78", 1, true) ~= nil and r:find("\x0a\x01\x00", 1, true) ~= nil
end
STARTTLS.submission = STARTTLS.smtp
STARTTLS.postgres = STARTTLS.postgresql

local BY_PORT = {[21] = "ftp", [25] = "smtp", [587] = "smtp", [110] = "pop3", [143] = "imap",
                 [389] = "ldap", [5432] = "postgresql"}

local function starttls_proto(port)
  if STARTTLS[port.service] then return port.service end
  return BY_PORT[port.number]
end

function sslcert.isPortSupported(port)
  local p = starttls_proto(port)
  return p and STARTTLS[p] or nil
end

-- a connected socket speaking TLS to host:port (STARTTLS where the
-- service needs it), or nil, why
function sslcert.connect(host, port)
  local shortport = require "shortport"
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local p = not shortport.ssl(host, port) and starttls_proto(port)
  if p then
    local ok, err = sock:connect(host, port, "tcp")
    if not ok then return nil, err end
    if not STARTTLS[p](sock) then sock:close(); return nil, "STARTTLS failed" end
    ok, err = sock:reconnect_ssl()
    if not ok then sock:close(); return nil, err end
    return sock
  end
  local ok, err = sock:connect(host, port, "ssl")
  if not ok then return nil, err end
  return sock
end

-- nmap's getPrepareTLSWithoutReconnect: for a STARTTLS service, a
-- function(host, port) -> true, socket after the service agreed to start
-- TLS (the handshake is the caller's); nil for other ports
function sslcert.getPrepareTLSWithoutReconnect(port)
  local p = starttls_proto(port)
  if not p then return nil end
  return function(host, port2)
    local sock = nmap.new_socket()
    sock:set_timeout(5000)
    local ok, err = sock:connect(host, port2, "tcp")
    if not ok then return false, err end
    if not STARTTLS[p](sock) then sock:close(); return false, "STARTTLS failed" end
    return true, sock
  end
end

function sslcert.getCertificate(host, port)
  local key = host.ip .. ":" .. port.number
  nmap.registry.ssl_certs = nmap.registry.ssl_certs or {}
  local mutex = nmap.mutex("sslcert " .. key)
  mutex "lock"
  local cached = nmap.registry.ssl_certs[key]
  if cached then mutex "done"; return true, cached end
  local sock, err = sslcert.connect(host, port)
  if not sock then mutex "done"; return false, err end
  local cert = sock:get_ssl_certificate()
  local random = sock:get_server_random()
  sock:close()
  if not cert then mutex "done"; return false, "no certificate" end
  cert.server_random = random
  nmap.registry.ssl_certs[key] = cert
  mutex "done"
  return true, cert
end

return sslcert

description = [[
Shows the X.509 certificate (RFC 5280) a TLS server presents: subject,
alternative names and validity; with -v also issuer, public key, signature
algorithm and digests; with -vv the PEM. Services that start in the clear
(SMTP, POP3, IMAP, FTP, LDAP, PostgreSQL) are asked to STARTTLS first.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe", "discovery"}

local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.isPortSupported(port) ~= nil
end

local ORDER = {"commonName", "organizationName", "stateOrProvinceName", "countryName"}

local function name_str(t)
  local out, seen = {}, {}
  for _, k in ipairs(ORDER) do
    if t[k] then out[#out + 1] = k .. "=" .. t[k]; seen[k] = true end
  end
  local rest = {}
  for k in pairs(t) do if not seen[k] then rest[#rest + 1] = k end end
  table.sort(rest)
  for _, k in ipairs(rest) do out[#out + 1] = k .. "=" .. t[k] end
  return table.concat(out, "/")
end

local function date_str(d)
  return ("%04d-%02d-%02dT%02d:%02d:%02d"):format(d.year, d.month, d.day, d.hour, d.min, d.sec)
end

local function copy_name(t)
  local o = stdnse.output_table()
  for _, k in ipairs(ORDER) do if t[k] then o[k] = t[k] end end
  for k, v in pairs(t) do if o[k] == nil then o[k] = v end end
  return o
end

action = function(host, port)
  local ok, cert = sslcert.getCertificate(host, port)
  if not ok then return nil end
  local v = nmap.verbosity()
  local lines = {"Subject: " .. name_str(cert.subject)}
  for _, e in ipairs(cert.extensions) do
    if e.name == "X509v3 Subject Alternative Name" and e.value then
      lines[#lines + 1] = "Subject Alternative Name: " .. e.value
    end
  end
  local md5, sha1 = stdnse.tohex(cert:digest("md5")), stdnse.tohex(cert:digest("sha1"))
  if v > 0 then
    lines[#lines + 1] = "Issuer: " .. name_str(cert.issuer)
    lines[#lines + 1] = "Public Key type: " .. cert.pubkey.type
    lines[#lines + 1] = "Public Key bits: " .. tostring(cert.pubkey.bits)
    lines[#lines + 1] = "Signature Algorithm: " .. cert.sig_algorithm
  end
  lines[#lines + 1] = "Not valid before: " .. date_str(cert.validity.notBefore)
  lines[#lines + 1] = "Not valid after:  " .. date_str(cert.validity.notAfter)
  if v > 0 then
    lines[#lines + 1] = "MD5:   " .. md5
    lines[#lines + 1] = "SHA-1: " .. sha1
  end
  if v > 1 then lines[#lines + 1] = cert.pem end
  local o = stdnse.output_table()
  o.subject = copy_name(cert.subject)
  o.issuer = copy_name(cert.issuer)
  local pk = stdnse.output_table()
  pk.type = cert.pubkey.type
  pk.bits = cert.pubkey.bits
  if cert.pubkey.ecdhparams then pk.ecdhparams = cert.pubkey.ecdhparams end
  if cert.pubkey.exponent then pk.exponent = cert.pubkey.exponent end
  o.pubkey = pk
  local exts = {}
  for _, e in ipairs(cert.extensions) do
    local x = stdnse.output_table()
    x.name = e.name
    if e.value then x.value = e.value end
    if e.critical then x.critical = "true" end
    exts[#exts + 1] = x
  end
  if #exts > 0 then o.extensions = exts end
  o.sig_algo = cert.sig_algorithm
  local val = stdnse.output_table()
  val.notBefore = date_str(cert.validity.notBefore)
  val.notAfter = date_str(cert.validity.notAfter)
  o.validity = val
  o.md5 = md5
  o.sha1 = sha1
  o.pem = cert.pem
  return o, table.concat(lines, "\n")
end

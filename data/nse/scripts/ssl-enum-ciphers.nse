description = [[
Lists the cipher suites and compressors a TLS server accepts for each of
SSLv3, TLS 1.0, 1.1, 1.2 and 1.3: it sends ClientHellos (RFC 5246, RFC
8446) offering every suite it knows and removes the one the server
chooses until the server refuses; each suite is shown with its key
exchange (curve, or DH/RSA key size) and a grade from A to F: the key
exchange's and the cipher's strength weighted as the SSL Labs rating
guide does without its protocol part (43% and 57%; a score of 80 or more
is A, 65 B, 50 C, 35 D, 20 E), RC4 at most C, anonymous or NULL F. Whether
the server or the client's order decides is shown for each version, and
the weakest grade last. Also over STARTTLS where ssl-cert uses it.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "intrusive"}

local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local tls = require "tls"

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.isPortSupported(port) ~= nil
end

local VERSIONS = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

-- groups offered weakest first: a server that follows the client's order
-- shows its weakest curve, as nmap reports it
local GROUP_ORDER = {}
for id in pairs(tls.GROUPS) do GROUP_ORDER[#GROUP_ORDER + 1] = id end
table.sort(GROUP_ORDER, function(a, b)
  local sa, sb = tls.GROUP_STRENGTH[a], tls.GROUP_STRENGTH[b]
  if sa ~= sb then return sa < sb end
  return a < b
end)

local function connect(host, port)
  local prep = not shortport.ssl(host, port) and sslcert.getPrepareTLSWithoutReconnect(port)
  if prep then
    local ok, sock = prep(host, port)
    return ok and sock or nil
  end
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port, "tcp") then return nil end
  return sock
end

local function hello(version, ciphers, compressors, host)
  local ext = {}
  if host.targetname and not host.targetname:match("^[%d.:]+$") then
    ext[#ext + 1] = {"server_name", tls.EXTENSION_HELPERS.server_name(host.targetname)}
  end
  ext[#ext + 1] = {"supported_groups", tls.EXTENSION_HELPERS.supported_groups(GROUP_ORDER)}
  ext[#ext + 1] = {"ec_point_formats", tls.EXTENSION_HELPERS.ec_point_formats({0, 1, 2})}
  if version == "TLSv1.2" or version == "TLSv1.3" then
    ext[#ext + 1] = {"signature_algorithms",
                     tls.EXTENSION_HELPERS.signature_algorithms(tls.SIGNATURE_ALGORITHMS)}
  end
  if version == "TLSv1.3" then
    ext[#ext + 1] = {"supported_versions", tls.EXTENSION_HELPERS.supported_versions({0x0304})}
    ext[#ext + 1] = {"psk_key_exchange_modes", "\1\1"}
    ext[#ext + 1] = {"key_share", tls.EXTENSION_HELPERS.key_share({{29, tls.random_bytes(32)}})}
  end
  return tls.client_hello({protocol = version, ciphers = ciphers, compressors = compressors,
                           extensions = ext})
end

-- one handshake: the ServerHello and what names its key exchange, or nil
local function try(host, port, version, ciphers, compressors)
  local sock = connect(host, port)
  if not sock then return nil end
  sock:send(hello(version, ciphers, compressors, host))
  local msgs = tls.read_handshake(sock)
  sock:close()
  local sh, cert, ske
  for _, m in ipairs(msgs) do
    if m.type == 2 then
      local ok, v = pcall(tls.server_hello, m.body)
      sh = ok and v or nil
    elseif m.type == 11 then cert = m.body
    elseif m.type == 12 then ske = m.body end
  end
  if not sh or sh.version ~= tls.PROTOCOLS[version] or not sh.cipher_name then return nil end
  local info = tls.cipher_info(sh.cipher_name)
  local kex
  if version == "TLSv1.3" then
    if sh.group then kex = {tls.GROUPS[sh.group] or ("group " .. sh.group),
                            tls.GROUP_STRENGTH[sh.group] or 0} end
  elseif info.kex == "ECDHE" and ske and ske:byte(1) == 3 then
    local g = string.unpack(">I2", ske, 2)
    kex = {tls.GROUPS[g] or ("group " .. g), tls.GROUP_STRENGTH[g] or 0}
  elseif info.kex == "DHE" and ske then
    local p = string.unpack(">s2", ske):gsub("^%z+", "")
    kex = {"dh " .. #p * 8, #p * 8}
  elseif (info.kex == "RSA" or info.kex == "ECDH" or info.kex == "DH") and cert then
    local der = tls.first_certificate(cert)
    local ok, c = pcall(sslcert.parse_der, der or "")
    if ok and c and c.pubkey and c.pubkey.bits then
      local t = c.pubkey.type == "ec" and "ec" or c.pubkey.type
      kex = {t .. " " .. c.pubkey.bits, c.pubkey.bits}
    end
  end
  return sh, info, kex
end

local function score_kex(bits, info)
  if info.anon then return 0 end
  if info.export then return 40 end
  if not bits then return 90 end
  if bits < 512 then return 20 elseif bits < 1024 then return 40
  elseif bits < 2048 then return 80 elseif bits < 4096 then return 90 end
  return 100
end

local function score_cipher(bits)
  if bits == 0 then return 0 elseif bits < 128 then return 20
  elseif bits < 256 then return 80 end
  return 100
end

local GRADES = {{80, "A"}, {65, "B"}, {50, "C"}, {35, "D"}, {20, "E"}}
local ORDER = {A = 1, B = 2, C = 3, D = 4, E = 5, F = 6}

local function grade(info, kex)
  local k, c = score_kex(kex and kex[2], info), score_cipher(info.bits)
  if k == 0 or c == 0 then return "F" end
  local s = 0.43 * k + 0.57 * c
  local g = "F"
  for _, t in ipairs(GRADES) do if s >= t[1] then g = t[2]; break end end
  if info.cipher:match("^RC4") and ORDER[g] < ORDER.C then g = "C" end
  return g
end

local function enum_version(host, port, version)
  local offer = {}
  for name in pairs(tls.CIPHERS) do
    local info = tls.cipher_info(name)
    if info and info.tls13 == (version == "TLSv1.3") then offer[#offer + 1] = name end
  end
  table.sort(offer)
  local found, comp = {}, nil
  while #offer > 0 do
    local sh, info, kex = try(host, port, version, offer, {"NULL"})
    if not sh then break end
    found[#found + 1] = {name = sh.cipher_name, info = info, kex = kex}
    for i, n in ipairs(offer) do
      if n == sh.cipher_name then table.remove(offer, i); break end
    end
  end
  if #found == 0 then return nil end
  local names = {}
  for i, f in ipairs(found) do names[i] = f.name end
  -- the server's or the client's order: the same two suites, both ways
  local pref = "indeterminate"
  if #found == 1 then
    pref = nil
  else
    local a, b = found[1].name, found[2].name
    local s1 = try(host, port, version, {b, a}, {"NULL"})
    local s2 = try(host, port, version, {a, b}, {"NULL"})
    if s1 and s2 then
      if s1.cipher_name == b and s2.cipher_name == a then pref = "client"
      elseif s1.cipher_name == s2.cipher_name then pref = "server" end
    end
  end
  if pref ~= "server" then table.sort(found, function(x, y) return x.name < y.name end) end
  if version ~= "TLSv1.3" then
    comp = {}
    local offerc = {"DEFLATE", "LZS", "NULL"}
    while #offerc > 0 do
      local sh = try(host, port, version, names, offerc)
      if not sh then break end
      local cname
      for n, v in pairs(tls.COMPRESSORS) do if v == sh.compressor then cname = n end end
      if not cname then break end
      comp[#comp + 1] = cname
      for i, n in ipairs(offerc) do if n == cname then table.remove(offerc, i); break end end
      if cname == "NULL" then break end
    end
    table.sort(comp)
  end
  return found, comp, pref
end

action = function(host, port)
  local out = stdnse.output_table()
  local least
  for _, version in ipairs(VERSIONS) do
    local found, comp, pref = enum_version(host, port, version)
    if found then
      local v = stdnse.output_table()
      local lines, warnings, seen = {}, {}, {}
      local function warn(w) if not seen[w] then seen[w] = true; warnings[#warnings + 1] = w end end
      for _, f in ipairs(found) do
        local g = grade(f.info, f.kex)
        if not least or ORDER[g] > ORDER[least] then least = g end
        local c = stdnse.output_table()
        c.name, c.strength, c.kex_info = f.name, g, f.kex and f.kex[1]
        getmetatable(c).__tostring = function()
          return ("%s%s - %s"):format(f.name, f.kex and (" (" .. f.kex[1] .. ")") or "", g)
        end
        lines[#lines + 1] = c
        if f.info.block64 then
          warn(("64-bit block cipher %s vulnerable to SWEET32 attack"):format(f.info.cipher:match("^[^_]+")))
        end
        if f.info.cipher:match("^RC4") then warn("Broken cipher RC4 is deprecated by RFC 7465") end
        if version == "SSLv3" and f.info.cbc then warn("CBC-mode cipher in SSLv3 (CVE-2014-3566)") end
        if f.info.mac == "MD5" then warn("Ciphersuite uses MD5 for message integrity") end
      end
      v["ciphers"] = lines
      if comp then v["compressors"] = comp end
      if pref then v["cipher preference"] = pref end
      if #warnings > 0 then v["warnings"] = warnings end
      out[version] = v
    end
  end
  if not least then return nil end
  out["least strength"] = least
  return out
end

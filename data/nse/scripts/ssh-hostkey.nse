description = [[
Shows the SSH server's host keys: for each key type the server offers, a
key exchange is run up to the server's reply (RFC 4253 section 8, RFC
5656, RFC 8731), which carries the host key; the key's size in bits, its
MD5 fingerprint and its type are shown; with -vv the key itself.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "default", "discovery"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"
local base64 = require "base64"
local openssl = require "openssl"
local der = require "asn1der"
local ssh2 = require "ssh2"

portrule = shortport.port_or_service(22, "ssh")

local function namelist(s) return string.pack(">s4", s) end

local function kexinit(kex, hostkey)
  local ciphers = "aes128-ctr,aes256-ctr,aes128-gcm@openssh.com,chacha20-poly1305@openssh.com"
  local macs = "hmac-sha2-256,hmac-sha1,umac-64-etm@openssh.com"
  return "\20" .. string.rep("\x4e", 16) .. namelist(kex) .. namelist(hostkey)
    .. namelist(ciphers) .. namelist(ciphers) .. namelist(macs) .. namelist(macs)
    .. namelist("none") .. namelist("none") .. namelist("") .. namelist("")
    .. "\0" .. string.pack(">I4", 0)
end

-- P-256's generator, uncompressed: a valid public point for ECDH
local P256_G = stdnse.fromhex("046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
  .. "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")

local KEX = {
  {"curve25519-sha256", "\9" .. string.rep("\0", 31)},
  {"curve25519-sha256@libssh.org", "\9" .. string.rep("\0", 31)},
  {"ecdh-sha2-nistp256", P256_G},
}

-- one connection: the server's KEXINIT lists, or a host key of algs
local function exchange(host, port, algs)
  local sock, st, l = ssh2.start(host, port)
  if not sock then return nil end
  local lists = {l.kex_algorithms, l.server_host_key_algorithms}
  if not algs then sock:close(); return lists end
  local kex
  for _, k in ipairs(KEX) do
    if ("," .. lists[1] .. ","):find("," .. k[1] .. ",", 1, true) then kex = k; break end
  end
  if not kex then sock:close(); return nil end
  sock:send(ssh2.packet(kexinit(kex[1], algs)))
  sock:send(ssh2.packet("\30" .. string.pack(">s4", kex[2])))
  local reply = ssh2.read_packet(sock, st, 31)
  sock:close()
  if not reply then return nil end
  return (string.unpack(">s4", reply, 2))
end

local TYPES = {
  {"ssh-dss", "ssh-dss", "DSA"},
  {"ssh-rsa", "rsa-sha2-512,rsa-sha2-256,ssh-rsa", "RSA"},
  {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", "ECDSA"},
  {"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384", "ECDSA"},
  {"ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521", "ECDSA"},
  {"ssh-ed25519", "ssh-ed25519", "ED25519"},
}

local function bits_of(blob)
  local t, pos = string.unpack(">s4", blob)
  if t == "ssh-rsa" then
    local _, p2 = string.unpack(">s4", blob, pos)
    return der.bitlen((string.unpack(">s4", blob, p2)))
  elseif t == "ssh-dss" then
    return der.bitlen((string.unpack(">s4", blob, pos)))
  elseif t:match("^ecdsa%-sha2%-nistp") then
    return tonumber(t:match("(%d+)$"))
  end
  return 256
end

action = function(host, port)
  local lists = exchange(host, port)
  if not lists then return nil end
  local offered = "," .. lists[2] .. ","
  local keys, lines = {}, {}
  for _, t in ipairs(TYPES) do
    local any = false
    for a in t[2]:gmatch("[^,]+") do
      if offered:find("," .. a .. ",", 1, true) then any = true end
    end
    if any then
      local blob = exchange(host, port, t[2])
      if blob then
        local fp = stdnse.tohex(openssl.md5(blob))
        local k = stdnse.output_table()
        k.type = string.unpack(">s4", blob)
        k.key = base64.enc(blob)
        k.fingerprint = fp
        k.bits = bits_of(blob)
        keys[#keys + 1] = k
        lines[#lines + 1] = ("  %d %s (%s)"):format(k.bits, fp, t[3])
        if nmap.verbosity() > 1 then lines[#lines + 1] = k.type .. " " .. k.key end
      end
    end
  end
  if #keys == 0 then return nil end
  return keys, "\n" .. table.concat(lines, "\n")
end

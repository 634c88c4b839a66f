description = [[
Reads an LDAP server's root DSE (RFC 4512 section 5.1: a base-scope
search of the empty DN, RFC 4511) without binding and shows its naming
contexts, supported controls, extensions, LDAP versions and SASL
mechanisms, schema entry and, on Active Directory, its domain names,
functional levels and host name. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local ber = require "ber"
local der = require "asn1der"
local nmap = require "nmap"
local shortport = require "shortport"

portrule = function(host, port)
  if port.version and port.version.service_tunnel == "ssl" and port.number ~= 636 then
    return false
  end
  return shortport.port_or_service({389, 636}, {"ldap", "ldapssl"})(host, port)
end

local ATTRS = {"_domainControllerFunctionality", "configurationNamingContext", "currentTime",
               "defaultNamingContext", "dnsHostName", "domainFunctionality", "dsServiceName",
               "forestFunctionality", "highestCommittedUSN", "isGlobalCatalogReady",
               "isSynchronized", "ldapServiceName", "namingContexts", "rootDomainNamingContext",
               "schemaNamingContext", "serverName", "subschemaSubentry", "supportedCapabilities",
               "supportedControl", "supportedLDAPPolicies", "supportedLDAPVersion",
               "supportedSASLMechanisms", "supportedExtension", "vendorName", "vendorVersion"}

local function search()
  local attrs = {}
  for i, a in ipairs(ATTRS) do attrs[i] = ber.str(a) end
  local req = ber.seq({ber.str(""), ber.enum(0), ber.enum(0), ber.int(0), ber.int(0),
                       ber.bool(false), ber.tlv(0x87, "objectClass"), ber.seq(attrs)}, 0x63)
  return ber.seq({ber.int(1), req})
end

-- a root DSE is a few KB: a longer message (or a length that is not
-- DER's) is not one, and waiting for it would hold the script as long
-- as the peer sends
local MAX_MESSAGE = 1 << 20

-- read whole LDAPMessages until SearchResultDone; the entries' attributes
local function read_entries(sock)
  local buf, lines = "", {}
  while true do
    while true do
      local tag, why = der.tlv(buf, 1)
      if tag then break end
      if why == "bad length" or #buf > MAX_MESSAGE then return lines end
      local ok, d = sock:receive()
      if not ok then return lines end
      buf = buf .. d
    end
    local _, a, b, np = der.tlv(buf, 1)
    local msg = der.children(buf, a, b)
    local op = msg[2]
    if op.tag == 0x65 or op.tag ~= 0x64 then return lines end
    local f = der.children(buf, op.a, op.b)
    for _, attr in ipairs(der.children(buf, f[2].a, f[2].b)) do
      local kv = der.children(buf, attr.a, attr.b)
      local name = buf:sub(kv[1].a, kv[1].b)
      for _, v in ipairs(der.children(buf, kv[2].a, kv[2].b)) do
        lines[#lines + 1] = ("      %s: %s"):format(name, buf:sub(v.a, v.b))
      end
    end
    buf = buf:sub(np)
  end
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local proto = (port.number == 636 or (port.version and port.version.service_tunnel == "ssl"))
                and "ssl" or "tcp"
  if not sock:connect(host, port, proto) then return nil end
  sock:send(search())
  local ok, lines = pcall(read_entries, sock)
  sock:close()
  if not ok or #lines == 0 then return nil end
  return "\nLDAP Results\n  <ROOT>\n" .. table.concat(lines, "\n")
end

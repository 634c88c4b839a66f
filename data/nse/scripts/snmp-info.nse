description = [[
Asks an SNMP agent for its SNMPv3 engine (RFC 3414's discovery: a
get-request with no user, answered by a report carrying the agent's
msgAuthoritativeEngineID, boots and time) and shows the enterprise and
format of the engine ID (RFC 3411's SnmpEngineID), its data, and the
engine's boots and uptime. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "version", "safe"}

local ber = require "ber"
local der = require "asn1der"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(161, "snmp", "udp")

-- IANA Private Enterprise Numbers of common SNMP engines
local ENTERPRISES = {[2] = "IBM", [9] = "cisco", [11] = "Hewlett-Packard", [311] = "Microsoft",
                     [2021] = "ucdavis", [8072] = "net-snmp", [4526] = "Netgear",
                     [2636] = "Juniper", [1991] = "Brocade", [42] = "Sun Microsystems"}
local FORMATS = {[1] = "ipv4", [2] = "ipv6", [3] = "mac", [4] = "text", [5] = "octets"}

local function request()
  local id = math.random(1, 0x7fffffff)
  local header = ber.seq({ber.int(id), ber.int(65507), ber.str("\4"), ber.int(3)})
  local usm = ber.str(ber.seq({ber.str(""), ber.int(0), ber.int(0), ber.str(""), ber.str(""),
                               ber.str("")}))
  local pdu = ber.seq({ber.int(id), ber.int(0), ber.int(0), ber.seq({})}, 0xa0)
  local scoped = ber.seq({ber.str(""), ber.str(""), pdu})
  return ber.seq({ber.int(3), header, usm, scoped})
end

local function children(s, node)
  return der.children(s, node.a, node.b)
end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(request())
  local ok, resp = sock:receive()
  sock:close()
  if not ok then return nil end
  local parsed, out = pcall(function()
    local top = der.children(resp, 1, #resp)[1]
    local msg = children(resp, top)
    if der.integer(resp:sub(msg[1].a, msg[1].b)) ~= 3 then return nil end
    local usm = der.children(resp, msg[3].a, msg[3].b)[1]
    local f = children(resp, usm)
    return {engine = resp:sub(f[1].a, f[1].b), boots = der.integer(resp:sub(f[2].a, f[2].b)),
            time = der.integer(resp:sub(f[3].a, f[3].b))}
  end)
  if not parsed or not out or #out.engine < 5 then return nil end
  local e = out.engine
  local o = stdnse.output_table()
  local first = string.unpack(">I4", e)
  local ent = first & 0x7fffffff
  o.enterprise = ENTERPRISES[ent] or tostring(ent)
  local data
  if first & 0x80000000 ~= 0 then
    local fmt = e:byte(5)
    o.engineIDFormat = FORMATS[fmt] or "unknown"
    data = e:sub(6)
    if fmt == 1 and #data == 4 then data = ("%d.%d.%d.%d"):format(data:byte(1, 4))
    elseif fmt == 3 and #data == 6 then data = stdnse.tohex(data, {separator = ":", group = 2})
    elseif fmt == 4 then -- text as it is
    else data = stdnse.tohex(data) end
  else
    o.engineIDFormat = "unknown"
    data = stdnse.tohex(e:sub(5))
  end
  o.engineIDData = data
  o.snmpEngineBoots = out.boots
  o.snmpEngineTime = stdnse.format_time(out.time)
  -- nmap's names the engine "<enterprise> SNMPv3 server" in the product
  -- (after -sV's own product, "; "-separated); netkit's leaves a product
  -- -sV found as it is
  port.version = port.version or {}
  if not port.version.product or port.version.product == "" then
    port.version.name = "snmp"
    port.version.product = o.enterprise .. " SNMPv3 server"
    nmap.set_port_version(host, port, "hardmatched")
  end
  return o
end

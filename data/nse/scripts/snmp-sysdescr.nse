description = [[
Asks an SNMP agent (SNMPv1, RFC 1157; community snmpcommunity, default
"public") for sysDescr.0 and sysUpTime.0 (RFC 3418's system group) and
shows the system's description and uptime. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local ber = require "ber"
local der = require "asn1der"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(161, "snmp", "udp", {"open", "open|filtered"})

local SYSDESCR, SYSUPTIME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0"

local function get(community, oids)
  local binds = {}
  for i, o in ipairs(oids) do binds[i] = ber.seq({ber.oid(o), ber.null()}) end
  local pdu = ber.seq({ber.int(math.random(1, 0x7fffffff)), ber.int(0), ber.int(0),
                       ber.seq(binds)}, 0xa0)
  return ber.seq({ber.int(0), ber.str(community), pdu})
end

-- the response's variable bindings: {oid = value bytes, tag}
local function bindings(s)
  local top = der.children(s, 1, #s)[1]
  local msg = der.children(s, top.a, top.b)
  local pdu = msg[3]
  local f = der.children(s, pdu.a, pdu.b)
  if der.integer(s:sub(f[2].a, f[2].b)) ~= 0 then return nil end
  local out = {}
  for _, vb in ipairs(der.children(s, f[4].a, f[4].b)) do
    local kv = der.children(s, vb.a, vb.b)
    out[der.oid(s:sub(kv[1].a, kv[1].b))] = {s:sub(kv[2].a, kv[2].b), kv[2].tag}
  end
  return out
end

-- timeticks (hundredths) as nmap shows an uptime: "38.82s", "1d02h03m04.50s"
local function uptime(ticks)
  local secs = ticks / 100
  local whole = math.floor(secs)
  local frac = ("%.2f"):format(secs - whole):sub(2)
  local t = stdnse.format_time(whole)
  if frac ~= ".00" then t = t:gsub("s$", frac .. "s") end
  return t
end

action = function(host, port)
  local community = stdnse.get_script_args("snmpcommunity") or "public"
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(get(community, {SYSDESCR, SYSUPTIME}))
  local ok, resp = sock:receive()
  sock:close()
  if not ok then return nil end
  local pok, vb = pcall(bindings, resp)
  if not pok or not vb or not vb[SYSDESCR] then return nil end
  nmap.set_port_state(host, port, "open")
  local out = vb[SYSDESCR][1]
  local up = vb[SYSUPTIME]
  if up then
    local ticks = der.integer(up[1])
    out = out .. ("\n  System uptime: %s (%d timeticks)"):format(uptime(ticks), ticks)
  end
  return out
end

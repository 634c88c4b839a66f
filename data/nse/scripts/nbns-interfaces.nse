description = [[
Asks the NetBIOS name service (137/udp) for the target's name (a node
status, RFC 1002 4.2.18: its <20> name) and then for that name's
addresses (a name query, RFC 1002 4.2.12/4.2.13): the target's
interfaces, as its name service lists them. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local netbios = require "netbios"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.portnumber(137, "udp")

local function fail(msg)
  stdnse.debug1("%s", msg)
  if nmap.debugging() > 0 then return "\n  ERROR: " .. msg .. "\n" end
  return nil
end

action = function(host)
  local names = netbios.node_status(host, 1)
  local server
  for _, n in ipairs(names or {}) do
    if n.suffix == 0x20 then server = n.name; break end
  end
  if not server then return fail("Failed to get NetBIOS server name of the target") end
  local addrs = netbios.name_query(host, server, 0, 2, 4000)
  if not addrs then return fail("Failed to get remote network interfaces") end
  local out = stdnse.output_table()
  out.hostname = server
  out.interfaces = addrs
  return out
end

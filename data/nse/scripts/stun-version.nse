description = [[
Sends a STUN Binding request (RFC 5389, UDP 3478) and puts the server's
SOFTWARE attribute in the port's version record (as nmap's, it prints
nothing itself). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

local stun = shortport.version_port_or_service(3478, "stun", "udp")

-- where -sV named the product already, its answer stands (nmap's book on
-- version scripts: they fill in what the probes could not)
portrule = function(host, port)
  if port.version and port.version.product and port.version.product ~= "" then return false end
  return stun(host, port)
end

local MAGIC = 0x2112A442

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local tid = ""
  for _ = 1, 12 do tid = tid .. string.char(math.random(0, 255)) end
  sock:send(string.pack(">I2I2I4", 0x0001, 0, MAGIC) .. tid)
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 20 then return nil end
  local typ, len, magic = string.unpack(">I2I2I4", resp)
  if typ ~= 0x0101 or magic ~= MAGIC or resp:sub(9, 20) ~= tid then return nil end
  port.version = port.version or {}
  port.version.name = "stun"
  local pos, last = 21, math.min(#resp, 20 + len)
  while pos + 3 <= last do
    local at, alen = string.unpack(">I2I2", resp, pos)
    local val = resp:sub(pos + 4, pos + 3 + alen)
    if at == 0x8022 then
      val = val:gsub("%z+$", "")
      port.version.product = val
      port.version.version, port.version.extrainfo, port.version.cpe = nil, nil, {}
      nmap.set_port_version(host, port, "hardmatched")
      return nil
    end
    pos = pos + 4 + ((alen + 3) // 4) * 4
  end
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

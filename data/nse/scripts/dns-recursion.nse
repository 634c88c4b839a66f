description = [[
Checks whether a DNS server resolves names for anyone: a query with
Recursion Desired answered without error and with Recursion Available
set (RFC 1035 section 4.1.1). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = function(host, port)
  return shortport.portnumber(53, "udp")(host, port)
end

action = function(host, port)
  local id = math.random(0, 65535)
  local q = string.pack(">I2I2I2I2I2I2", id, 0x0100, 1, 0, 0, 0)
    .. "\7example\3com\0" .. string.pack(">I2I2", 1, 1)
  local sock = nmap.new_socket()
  sock:set_timeout(3000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(q)
  local ok, r = sock:receive()
  sock:close()
  if not ok or #r < 12 then return nil end
  local rid, flags = string.unpack(">I2I2", r)
  if rid ~= id or flags & 0x0080 == 0 or flags & 0x000f ~= 0 then return nil end
  return "Recursion appears to be enabled"
end

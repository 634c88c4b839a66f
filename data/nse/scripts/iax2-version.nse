description = [[
Sends an IAX2 POKE (RFC 5456: a full frame of type IAX, subclass POKE,
UDP 4569) and, when the peer answers with PONG, names the port's service
iax2 (Asterisk's Inter-Asterisk eXchange). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(4569, "iax2", "udp")

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local call = math.random(1, 0x7fff)
  -- full frame: F bit and source call, destination call, timestamp, oseq, iseq, type 6 (IAX), subclass 0x1e (POKE)
  sock:send(string.pack(">I2I2I4BBBB", 0x8000 | call, 0, 0, 0, 0, 6, 0x1e))
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 12 then return nil end
  local _, dst, _, _, _, ftype, sub = string.unpack(">I2I2I4BBBB", resp)
  if dst & 0x7fff ~= call or ftype ~= 6 or sub ~= 0x03 then return nil end
  port.version = port.version or {}
  port.version.name = "iax2"
  port.version.product = "Asterisk PBX"
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

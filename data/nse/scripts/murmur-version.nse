description = [[
Pings a Mumble (Murmur) server on UDP 64738 with its 12-byte status
request and records the server's version, users, user limit and
bandwidth in the port's version record. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(64738, {"mumble", "murmur"}, "udp")

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local ident = string.pack(">I8", math.random(1, 0x7fffffff))
  sock:send(string.pack(">I4", 0) .. ident)
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp ~= 24 or resp:sub(5, 12) ~= ident then return nil end
  local _, major, minor, patch = string.unpack("BBBB", resp)
  local users, max, bw = string.unpack(">I4I4I4", resp, 13)
  port.version = port.version or {}
  port.version.name = "murmur"
  port.version.product = "Murmur"
  port.version.version = ("%d.%d.%d"):format(major, minor, patch)
  port.version.extrainfo = ("voice port; users: %d; max. users: %d; bandwidth: %d b/s"):format(
    users, max, bw)
  port.version.cpe = {}
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

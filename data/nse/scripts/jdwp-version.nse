description = [[
Speaks the Java Debug Wire Protocol's handshake ("JDWP-Handshake") to a
port -sV named jdwp and asks the VirtualMachine/Version command for the
JVM's description, version and name; the port's version record takes
them. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"

portrule = function(host, port)
  return port.protocol == "tcp" and port.version ~= nil and port.version.name == "jdwp"
end

local function jstring(s, pos)
  local n = string.unpack(">I4", s, pos)
  return s:sub(pos + 4, pos + 3 + n), pos + 4 + n
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send("JDWP-Handshake")
  local ok, hs = sock:receive_bytes(14)
  if not ok or hs:sub(1, 14) ~= "JDWP-Handshake" then sock:close(); return nil end
  -- command packet: length, id, flags, command set 1 (VirtualMachine), command 1 (Version)
  sock:send(string.pack(">I4I4BBB", 11, 1, 0, 1, 1))
  local buf = hs:sub(15)
  while #buf < 11 or #buf < string.unpack(">I4", buf) do
    local st, d = sock:receive()
    if not st then break end
    buf = buf .. d
  end
  sock:close()
  if #buf < 11 or string.unpack(">I2", buf, 10) ~= 0 then return nil end
  local ok2, desc, _, _, vmver, vmname = pcall(function()
    local d, p = jstring(buf, 12)
    local maj, mnr = string.unpack(">i4i4", buf, p)
    local v, p2 = jstring(buf, p + 8)
    local n = jstring(buf, p2)
    return d, maj, mnr, v, n
  end)
  if not ok2 then return nil end
  port.version = port.version or {}
  port.version.name = "jdwp"
  port.version.product = vmname
  port.version.version = vmver
  port.version.extrainfo = desc:gsub("\n.*", "")
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

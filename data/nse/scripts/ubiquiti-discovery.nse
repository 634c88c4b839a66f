description = [[
Asks a Ubiquiti device's discovery service (UDP 10001, version 1: the
four bytes 01 00 00 00) for its TLV answer and shows its firmware,
uptime, host name, model, ESSID and addresses; the port's version record
names the device. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "version", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(10001, "ubiquiti", "udp")

local function mac(s) return stdnse.tohex(s, {separator = ":", group = 2}) end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send("\1\0\0\0")
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 4 or resp:byte(1) ~= 1 or resp:byte(2) ~= 0 then return nil end
  local len = string.unpack(">I2", resp, 3)
  local pos, stop = 5, math.min(#resp, 4 + len)
  local f, addrs, macs = {}, {}, {}
  while pos + 2 <= stop do
    local t, l = string.unpack(">BI2", resp, pos)
    local v = resp:sub(pos + 3, pos + 2 + l)
    pos = pos + 3 + l
    if t == 0x01 and #v == 6 then macs[#macs + 1] = mac(v)
    elseif t == 0x02 and #v == 10 then
      addrs[#addrs + 1] = ("%d.%d.%d.%d"):format(v:byte(7, 10))
      macs[#macs + 1] = mac(v:sub(1, 6))
    else f[t] = v end
  end
  local out = stdnse.output_table()
  out["protocol"] = "v1"
  if f[0x0a] and #f[0x0a] == 4 then out["uptime"] = stdnse.format_time(string.unpack(">I4", f[0x0a])) end
  out["hostname"] = f[0x0b]
  out["product"] = f[0x0c]
  out["firmware"] = f[0x03]
  out["essid"] = f[0x0d]
  out["model"] = f[0x14]
  if #addrs > 0 then out["ip addresses"] = addrs end
  if #macs > 0 then out["mac addresses"] = macs end
  if not (f[0x03] or f[0x0c] or f[0x0b]) then return nil end
  port.version = port.version or {}
  port.version.name = "ubiquiti-discovery"
  port.version.product = "Ubiquiti Discovery Service"
  port.version.extrainfo = f[0x0c] and ("%s %s"):format(f[0x0c], f[0x03] or "") or nil
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

description = [[
Sends EtherNet/IP's List Identity request (the encapsulation command
0x63, TCP or UDP 44818) and shows the identity object of the device:
vendor id, device type, product name and code, revision, serial number,
status, state and address. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(44818, "EtherNet-IP-2", {"tcp", "udp"})

-- CIP device types (ODVA's CIP specification volume 1, the common ones)
local TYPES = {[0] = "Generic Device (deprecated)", [2] = "AC Drive", [7] = "General Purpose Discrete I/O",
               [12] = "Communications Adapter", [14] = "Programmable Logic Controller",
               [24] = "Human-Machine Interface", [43] = "Generic Device (keyable)"}

action = function(host, port)
  local sock = nmap.new_socket(port.protocol)
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.protocol) then return nil end
  sock:send(string.pack("<I2I2I4I4", 0x63, 0, 0, 0) .. string.rep("\0", 8) .. string.pack("<I4", 0))
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 26 then return nil end
  local cmd = string.unpack("<I2", resp)
  if cmd ~= 0x63 then return nil end
  local pok, r = pcall(function()
    local count = string.unpack("<I2", resp, 25)
    if count < 1 then return nil end
    local itype, ilen = string.unpack("<I2I2", resp, 27)
    if itype ~= 0x0c then return nil end
    local p = 31
    local _, _, _, a, b, c, d = string.unpack("<I2>I2I2BBBB", resp, p)
    p = p + 2 + 16
    local vendor, dtype, pcode, rmaj, rmin, status, serial, np = string.unpack("<I2I2I2BBI2I4", resp, p)
    local name, np2 = string.unpack("s1", resp, np)
    local state = resp:byte(np2)
    return {ip = ("%d.%d.%d.%d"):format(a, b, c, d), vendor = vendor, dtype = dtype, pcode = pcode,
            rev = ("%d.%d"):format(rmaj, rmin), status = status, serial = serial, name = name,
            state = state}
  end)
  if not pok or not r then return nil end
  local out = stdnse.output_table()
  out["Vendor"] = ("%d"):format(r.vendor)
  out["Device Type"] = ("%s (%d)"):format(TYPES[r.dtype] or "Unknown", r.dtype)
  out["Product Name"] = r.name
  out["Serial Number"] = ("0x%08x"):format(r.serial)
  out["Product Code"] = r.pcode
  out["Revision"] = r.rev
  out["Status"] = ("0x%04x"):format(r.status)
  out["State"] = r.state and ("0x%02x"):format(r.state) or nil
  out["Device IP"] = r.ip
  port.version = port.version or {}
  port.version.name = "enip"
  port.version.product = r.name
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

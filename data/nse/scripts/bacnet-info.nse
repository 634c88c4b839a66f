description = [[
Reads a BACnet/IP device's identity (ASHRAE 135, BACnet/IP per Annex J,
UDP 47808): ReadProperty requests on the device object (the wildcard
instance 4194303) for its vendor identifier and name, object identifier,
firmware and application software revisions, object name, model name,
description and location. A device that answers with an Error PDU is
still a BACnet device (printed as such). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(47808, "bacnet", "udp")

-- a few of ASHRAE's BACnet vendor identifiers (bacnet.org's public list)
local VENDORS = {[0] = "ASHRAE", [2] = "The Trane Company", [5] = "Johnson Controls Inc",
                 [7] = "Siemens Schweiz AG (Formerly: Landis & Staefa Division Europe)",
                 [8] = "Delta Controls", [24] = "Automated Logic Corporation",
                 [260] = "BACnet Stack at SourceForge"}

local PROPS = {
  {120, "Vendor ID"}, {121, "Vendor Name"}, {75, "Object-identifier"}, {44, "Firmware"},
  {12, "Application Software"}, {77, "Object Name"}, {70, "Model Name"},
  {28, "Description"}, {58, "Location"},
}

local invoke = 0

-- BVLC Original-Unicast-NPDU, NPDU version 1 expecting a reply, a
-- confirmed ReadProperty (max APDU 1476) on device 4194303
local function request(prop)
  invoke = (invoke + 1) & 0xff
  local apdu = string.pack(">BBBB", 0x00, 0x05, invoke, 0x0c)
               .. "\x0c" .. string.pack(">I4", (8 << 22) | 4194303)
               .. "\x19" .. string.char(prop)
  local npdu = "\x01\x04" .. apdu
  return "\x81\x0a" .. string.pack(">I2", 4 + #npdu) .. npdu
end

-- the application-tagged value between the opening and closing tags 3
local function value(v)
  if #v < 1 then return nil end
  local tag, len = v:byte(1) >> 4, v:byte(1) & 7
  local pos = 2
  if len == 5 then len, pos = v:byte(2), 3 end
  local raw = v:sub(pos, pos + len - 1)
  if tag == 7 then return raw:sub(2) end                  -- character string
  if tag == 2 then                                         -- unsigned
    local n = 0
    for i = 1, #raw do n = n * 256 + raw:byte(i) end
    return n
  end
  if tag == 12 and #raw == 4 then return string.unpack(">I4", raw) & 0x3fffff end
  return nil
end

local function read(sock, prop)
  sock:send(request(prop))
  local ok, d = sock:receive()
  if not ok or #d < 9 or d:byte(1) ~= 0x81 then return nil end
  local p = 5
  local ctl = d:byte(p + 1)
  p = p + 2
  if ctl & 0x20 ~= 0 then p = p + 3 + d:byte(p + 2) end     -- DNET, DLEN, DADR
  if ctl & 0x08 ~= 0 then p = p + 3 + d:byte(p + 2) end     -- SNET, SLEN, SADR
  if ctl & 0x20 ~= 0 then p = p + 1 end                     -- hop count
  local kind = d:byte(p) >> 4
  if kind == 5 then return nil, "error" end
  if kind ~= 3 then return nil end
  local open = d:find("\x3e", p + 3, true)
  if not open then return nil end
  return value(d:sub(open + 1, -2))
end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local out = stdnse.output_table()
  local any, err = false, false
  for _, p in ipairs(PROPS) do
    local v, e = read(sock, p[1])
    if v ~= nil then
      any = true
      if p[1] == 120 then
        v = ("%s (%d)"):format(VENDORS[v] or "Unknown Vendor Number", v)
      end
      out[p[2]] = tostring(v)
    elseif e then
      err = true
    end
  end
  sock:close()
  if not any and not err then return nil end
  if not any then out["BACnet ADPU Type"] = "Error (5)" end
  nmap.set_port_state(host, port, "open")
  port.version = port.version or {}
  port.version.name = "bacnet"
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

description = [[
Sends a TeamSpeak 2 login request (UDP 8767, connection class 0xbef4, type
3) and reads the server's login reply (type 4): server name, platform and
version. A server without a password names itself; one with a password
leaves the name empty, and only "TeamSpeak 2" is recorded. netkit's script,
from the TeamSpeak 2 packet layout as Wireshark's TS2 dissector documents
it (header 20 bytes with CRC-32, then 1+29-byte strings, four 16-bit
little-endian version numbers).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(8767, "teamspeak2", "udp")

-- a fixed-size string field: length byte, then 29 bytes (NUL padded)
local function field(s, pos)
  return (s:sub(pos + 2, pos + 30):match("^[^%z]*"))
end

local function pad(s) return string.char(#s) .. s .. string.rep("\0", 29 - #s) end

-- CRC-32 (IEEE, as zlib) over the packet with its CRC field zeroed
local function crc32(s)
  local crc = 0xffffffff
  for i = 1, #s do
    crc = crc ~ s:byte(i)
    for _ = 1, 8 do
      crc = (crc >> 1) ~ (0xedb88320 & -(crc & 1))
    end
  end
  return ~crc & 0xffffffff
end

local function login_request()
  -- client name, OS, client version 2.0.32.60, then login name, password, nickname
  local body = pad("TeamSpeak") .. pad("Windows XP") .. string.pack("<I2I2I2I2", 2, 0, 32, 60)
               .. "\1\0" .. pad("") .. pad("") .. pad("nickname")
  local head = string.pack("<I2I2I4I4I4", 0xbef4, 3, 0, 0, 1)
  local crc = crc32(head .. "\0\0\0\0" .. body)
  return head .. string.pack("<I4", crc) .. body
end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(login_request())
  local ok, resp = sock:receive()
  sock:close()
  if not ok or #resp < 88 or resp:sub(1, 12) ~= "\xf4\xbe\x04\0" .. string.rep("\0", 8) then
    return nil
  end
  local name, platform = field(resp, 20), field(resp, 50)
  port.version = port.version or {}
  port.version.name = "teamspeak2"
  port.version.product = "TeamSpeak"
  if name == "" then
    port.version.version = "2"
  else
    port.version.version = ("%d.%d.%d.%d"):format(string.unpack("<I2I2I2I2", resp, 81))
    port.version.extrainfo = ("name: %s; no password"):format(name)
    if platform ~= "" then port.version.ostype = platform end
  end
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

description = [[
Sends a PPTP Start-Control-Connection-Request (RFC 2637, TCP 1723) and
reads the server's host name, vendor and firmware revision from its reply
into the port's version record. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(1723, "pptp")

local MAGIC = 0x1A2B3C4D

local function cstr(s) return (s:gsub("%z.*$", "")) end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  -- length 156, control message (1), magic, type 1, reserved, protocol 1.0,
  -- reserved, framing and bearer capabilities, max channels, firmware, names
  local req = string.pack(">I2I2I4I2I2I2I2I4I4I2I2", 156, 1, MAGIC, 1, 0, 0x0100, 0, 1, 1, 0, 0)
              .. string.rep("\0", 64) .. string.rep("\0", 64)
  sock:send(req)
  local buf = ""
  while #buf < 156 do
    local ok, d = sock:receive()
    if not ok then break end
    buf = buf .. d
  end
  sock:close()
  if #buf < 156 then return nil end
  local len, mtype, magic, ctype = string.unpack(">I2I2I4I2", buf)
  if len ~= 156 or mtype ~= 1 or magic ~= MAGIC or ctype ~= 2 then return nil end
  local firmware = string.unpack(">I2", buf, 27)
  local hostname, vendor = cstr(buf:sub(29, 92)), cstr(buf:sub(93, 156))
  port.version = port.version or {}
  port.version.name = "pptp"
  port.version.product = vendor ~= "" and vendor or nil
  port.version.extrainfo = "Firmware: " .. firmware
  port.version.hostname = hostname ~= "" and hostname or nil
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

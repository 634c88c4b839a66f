description = [[
Sends an OMRON FINS "Controller Data Read" command (MRC 05, SRC 01, as
OMRON's FINS Commands Reference Manual describes it) to a PLC on port
9600, over UDP or FINS/TCP, and prints what the controller says of itself:
model, version, memory areas, memory card. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(9600, "fins", {"tcp", "udp"})

-- end codes (main and sub response codes), the manual's words
local END = {[0x0000] = "Normal completion", [0x0001] = "Service canceled",
             [0x0101] = "Local node not in network", [0x0102] = "Token timeout",
             [0x0103] = "Retries failed", [0x0104] = "Too many send frames",
             [0x0105] = "Node address range error", [0x0106] = "Node address duplication",
             [0x0401] = "Undefined command", [0x0402] = "Not supported by model/version",
             [0x1001] = "Command too long", [0x1002] = "Command too short"}
local CARD = {[0] = "No Memory Card", [1] = "SPRAM", [2] = "EPROM", [3] = "EEPROM"}

-- FINS header: ICF (command, response required), RSV, GCT, destination
-- network/node/unit, source network/node/unit, service id
local function command(dst_node, src_node)
  return string.pack("BBBBBBBBBB", 0x80, 0, 0x02, 0, dst_node, 0, 0, src_node, 0, 0x17)
         .. "\5\1\0"
end

local function text(s) return (s:gsub("%z.*$", "")) end

local function udp_read(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  sock:send(command(0, 0x63))
  local ok, data = sock:receive()
  sock:close()
  return ok and data or nil
end

-- FINS/TCP: "FINS", length, command 0 (client node address data send),
-- error 0, client node 0 (the server assigns one); then frames of command 2
local function tcp_read(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send("FINS" .. string.pack(">I4I4I4I4", 12, 0, 0, 0))
  local ok, hello = sock:receive_bytes(24)
  if not ok or #hello < 24 or hello:sub(1, 4) ~= "FINS" then sock:close(); return nil end
  local client, server = string.unpack(">I4I4", hello, 17)
  local frame = command(server & 0xff, client & 0xff)
  sock:send("FINS" .. string.pack(">I4I4I4", 8 + #frame, 2, 0) .. frame)
  local data = ""
  while #data < 16 do
    local ok2, d = sock:receive()
    if not ok2 then break end
    data = data .. d
  end
  local need = #data >= 8 and string.unpack(">I4", data, 5) + 8 or 0
  while #data < need do
    local ok2, d = sock:receive()
    if not ok2 then break end
    data = data .. d
  end
  sock:close()
  return #data > 16 and data:sub(17) or nil
end

action = function(host, port)
  local data = port.protocol == "udp" and udp_read(host, port) or tcp_read(host, port)
  if not data or #data < 14 or data:sub(11, 12) ~= "\5\1" then return nil end
  local code = string.unpack(">I2", data, 13)
  local out = stdnse.output_table()
  out["Response Code"] = ("%s (0x%04x)"):format(END[code] or "Unknown", code)
  if #data >= 14 + 80 + 12 then
    out["Controller Model"] = text(data:sub(15, 34))
    out["Controller Version"] = text(data:sub(35, 54))
    out["For System Use"] = text(data:sub(55, 94))
    local prog, iom, dm, tc, edm, steps, kind, csize =
      string.unpack(">I2BI2BBI2BI2", data, 95)
    out["Program Area Size"] = prog
    out["IOM size"] = iom
    out["No. DM Words"] = dm
    out["Timer/Counter"] = tc
    out["Expansion DM Size"] = edm
    out["No. of steps/transitions"] = steps
    out["Kind of Memory Card"] = CARD[kind] or ("Unknown (%d)"):format(kind)
    out["Memory Card Size"] = csize
  end
  if port.protocol == "udp" then nmap.set_port_state(host, port, "open") end
  port.version = port.version or {}
  port.version.name = "fins"
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

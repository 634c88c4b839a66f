description = [[
Reads a Siemens S7 PLC's identity over ISO-TSAP (RFC 1006 TPKT, ISO 8073
COTP, TCP 102) with S7 communication: connect (rack 0, slot 2, then slot
0), setup communication, and two SZL reads: 0x0011 (module
identification: order number, hardware, firmware version) and 0x001C
(component identification: system name, module type, serial number,
plant identification, copyright). netkit's script, from the S7comm
protocol as public dissectors describe it.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(102, "iso-tsap", "tcp")

local function tpkt(payload) return string.pack(">BBI2", 3, 0, 4 + #payload) .. payload end

-- COTP connection request: class 0, TPDU size 1024, calling TSAP 0x0100,
-- called TSAP (rack/slot)
local function cotp_cr(dst_tsap)
  return tpkt("\x11\xe0\x00\x00\x00\x01\x00\xc0\x01\x0a\xc1\x02\x01\x00\xc2\x02"
              .. string.pack(">I2", dst_tsap))
end

local SETUP = tpkt("\x02\xf0\x80" .. "\x32\x01\x00\x00\x00\x00\x00\x08\x00\x00"
                   .. "\xf0\x00\x00\x01\x00\x01\x01\xe0")

-- userdata, CPU functions (group 4), read SZL (subfunction 1)
local function szl_request(id)
  return tpkt("\x02\xf0\x80" .. "\x32\x07\x00\x00\x00\x00\x00\x08\x00\x08"
              .. "\x00\x01\x12\x04\x11\x44\x01\x00"
              .. "\xff\x09\x00\x04" .. string.pack(">I2I2", id, 0))
end

local function recv_tpkt(sock)
  local ok, d = sock:receive_bytes(4)
  if not ok or #d < 4 or d:byte(1) ~= 3 then return nil end
  local len = string.unpack(">I2", d, 3)
  while #d < len do
    local ok2, more = sock:receive_bytes(len - #d)
    if not ok2 then return nil end
    d = d .. more
  end
  return d
end

-- the SZL records of a userdata response: {index -> record bytes after it}
local function szl_records(d)
  if not d or #d < 17 or d:byte(8) ~= 0x32 or d:byte(9) ~= 7 then return nil end
  local plen = string.unpack(">I2", d, 14)
  local p = 18 + plen
  if #d < p + 11 or d:byte(p) ~= 0xff then return nil end
  local reclen, count = string.unpack(">I2I2", d, p + 8)
  local recs, q = {}, p + 12
  for _ = 1, count do
    if #d < q + reclen - 1 or reclen < 2 then break end
    recs[string.unpack(">I2", d, q)] = d:sub(q + 2, q + reclen - 1)
    q = q + reclen
  end
  return recs
end

local function text(s) return ((s or ""):gsub("%z.*$", "")) end

local function session(host, port, tsap)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send(cotp_cr(tsap))
  local cc = recv_tpkt(sock)
  if not cc or #cc < 6 or cc:byte(6) ~= 0xd0 then sock:close(); return nil end
  sock:send(SETUP)
  local ack = recv_tpkt(sock)
  if not ack or #ack < 9 or ack:byte(8) ~= 0x32 then sock:close(); return nil end
  return sock
end

action = function(host, port)
  local sock = session(host, port, 0x0102) or session(host, port, 0x0100)
  if not sock then return nil end
  sock:send(szl_request(0x0011))
  local m = szl_records(recv_tpkt(sock))
  sock:send(szl_request(0x001c))
  local c = szl_records(recv_tpkt(sock))
  sock:close()
  if not m and not c then return nil end
  local out = stdnse.output_table()
  if m then
    out["Module"] = m[1] and text(m[1]:sub(1, 20)) or nil
    out["Basic Hardware"] = m[6] and text(m[6]:sub(1, 20)) or nil
    local fw = m[7]
    if fw and #fw >= 26 then
      out["Version"] = ("%d.%d.%d"):format(fw:byte(24), fw:byte(25), fw:byte(26))
    end
  end
  if c then
    out["System Name"] = c[1] and text(c[1]) or nil
    out["Module Type"] = c[2] and text(c[2]) or nil
    out["Serial Number"] = c[5] and text(c[5]) or nil
    local plant = c[3] and text(c[3])
    out["Plant Identification"] = plant ~= "" and plant or nil
    out["Copyright"] = c[4] and text(c[4]) or nil
  end
  port.version = port.version or {}
  port.version.name = "iso-tsap"
  port.version.devicetype = "specialized"
  port.version.product = out["Module Type"] and ("Siemens S7 PLC") or nil
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

description = [[
Reads an NDMP server's identity (Network Data Management Protocol v4,
ndmp.org's specification; TCP 10000): after the server's
NDMP_NOTIFY_CONNECTION_STATUS, NDMP_CONFIG_GET_SERVER_INFO (vendor,
product, revision) and NDMP_CONFIG_GET_HOST_INFO (host name, OS type and
version), XDR messages under RPC record marking. Sets the port's product
(the vendor), its host name and OS type as nmap 7.93 prints them
("Name: HOST; ", the part after "; " left empty as nmap's leaves it on
the answers observed); prints nothing. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(10000, "ndmp")

local function record(sock)
  local data, rec = "", ""
  while true do
    while #rec < 4 do
      local ok, d = sock:receive_bytes(4 - #rec)
      if not ok then return nil end
      rec = rec .. d
    end
    local mark = string.unpack(">I4", rec)
    local n = mark & 0x7fffffff
    rec = rec:sub(5)
    while #rec < n do
      local ok, d = sock:receive_bytes(n - #rec)
      if not ok then return nil end
      rec = rec .. d
    end
    data, rec = data .. rec:sub(1, n), rec:sub(n + 1)
    if mark & 0x80000000 ~= 0 then return data end
  end
end

local seq = 0
local function request(sock, code)
  seq = seq + 1
  local m = string.pack(">I4I4I4I4I4I4", seq, os.time(), 0, code, 0, 0)
  sock:send(string.pack(">I4", 0x80000000 | #m) .. m)
  for _ = 1, 4 do
    local r = record(sock)
    if not r or #r < 24 then return nil end
    local _, _, mtype, rcode, _, err = string.unpack(">I4I4I4I4I4I4", r)
    if mtype == 1 and rcode == code then
      if err ~= 0 or #r < 28 or string.unpack(">I4", r, 25) ~= 0 then return nil end
      return r, 29
    end
  end
  return nil
end

local function xdr_string(r, pos)
  if not r or #r < pos + 3 then return nil, pos end
  local n = string.unpack(">I4", r, pos)
  return r:sub(pos + 4, pos + 3 + n), pos + 4 + ((n + 3) // 4) * 4
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local hello = record(sock)   -- NDMP_NOTIFY_CONNECTION_STATUS
  if not hello or #hello < 24 or string.unpack(">I4", hello, 13) ~= 0x502 then
    sock:close()
    return nil
  end
  local r, pos = request(sock, 0x108)
  local vendor = xdr_string(r, pos or 1)
  local h, hpos = request(sock, 0x100)
  local hostname, ostype
  if h then
    hostname, hpos = xdr_string(h, hpos)
    ostype = xdr_string(h, hpos)
  end
  sock:close()
  if not vendor and not hostname then return nil end
  port.version = port.version or {}
  port.version.name = "ndmp"
  port.version.product = vendor ~= "" and vendor or nil
  port.version.extrainfo = hostname and ("Name: %s; "):format(hostname) or nil
  port.version.ostype = ostype ~= "" and ostype or nil
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

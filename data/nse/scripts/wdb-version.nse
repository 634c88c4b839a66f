description = [[
Asks a VxWorks Wind DeBug (WDB) agent, the ONC RPC program 0x55555555
version 1 on UDP 17185, to connect (WDB_TARGET_CONNECT) and prints what
its reply tells about the target: agent version, VxWorks version, board
support package and boot line. An agent that answers is itself a hazard
(CERT VU#362332: memory reads and writes without authentication), said on
the first line. netkit's script, from the WDB request and reply layout
published with Metasploit's wdbrpc support and the VxWorks WDB
structures (WDB_AGENT_INFO, WDB_RT_INFO).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe", "version", "discovery", "vuln"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(17185, "wdbrpc", "udp")

local WDB_PROG, WDB_VERS, WDB_TARGET_CONNECT = 0x55555555, 1, 1

-- one's complement sum of 16-bit words, complemented (the WDB checksum)
local function checksum(s)
  local sum = 0
  for i = 1, #s - 1, 2 do sum = sum + string.unpack(">I2", s, i) end
  sum = (sum & 0xffff) + (sum >> 16)
  sum = (sum & 0xffff) + (sum >> 16)
  return ~sum & 0xffff
end

local function connect_request(xid)
  -- RPC call (RFC 5531) with null credentials, then WDB's header: checksum,
  -- length without the XID, sequence number; then the connect arguments
  local rpc = string.pack(">I4I4I4I4I4I4I4I4I4I4", 0, 0, 2, WDB_PROG, WDB_VERS,
                          WDB_TARGET_CONNECT, 0, 0, 0, 0)
  local args = string.pack(">I4I4I4", 2, 0, 0)
  local len = #rpc + 12 + #args - 4
  local pkt = rpc .. string.pack(">I4I4I4", 0, len, 1) .. args
  local sum = checksum(pkt)
  return string.pack(">I4", xid) .. rpc:sub(5) .. string.pack(">I2I2I4I4", 0xffff, sum, len, 1) .. args
end

-- XDR reader over a reply: counted strings padded to 4, 32-bit words
local function reader(s, pos)
  local r = {}
  function r.u32()
    if pos + 3 > #s then error("short") end
    local v
    v, pos = string.unpack(">I4", s, pos)
    return v
  end
  function r.str()
    local n = r.u32()
    if pos + n - 1 > #s then error("short") end
    local v = s:sub(pos, pos + n - 1)
    pos = pos + n + (-n % 4)
    return (v:match("^[^%z]*"))
  end
  return r
end

local function decode(resp, xid)
  if #resp < 36 then return nil end
  local rxid, mtype, stat, _, vlen = string.unpack(">I4I4I4I4I4", resp)
  if rxid ~= xid or mtype ~= 1 or stat ~= 0 or vlen > 400 then return nil end
  local accept = string.unpack(">I4", resp, 21 + vlen)
  if accept ~= 0 then return nil end
  local r = reader(resp, 25 + vlen + 12) -- past the accept status and WDB's reply header
  local ok, info = pcall(function()
    local t = {}
    t.agent = r.str()
    r.u32(); r.u32()          -- MTU, agent mode
    r.u32()                   -- run-time type
    t.rt = r.str()
    r.u32(); r.u32(); r.u32() -- CPU type, floating point, write protection
    r.u32(); r.u32()          -- page size, endianness
    t.bsp = r.str()
    t.bootline = r.str()
    return t
  end)
  return ok and info or nil
end

action = function(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(5000)
  if not sock:connect(host, port, "udp") then return nil end
  local xid = math.random(1, 0x7fffffff)
  sock:send(connect_request(xid))
  local ok, resp = sock:receive()
  sock:close()
  if not ok then return nil end
  local info = decode(resp, xid)
  if not info then return nil end
  port.version = port.version or {}
  port.version.name = "wdb"
  port.version.product = "Wind DeBug Agent"
  port.version.version = info.agent
  nmap.set_port_version(host, port, "hardmatched")
  local out = stdnse.output_table()
  out[1] = "VULNERABLE: Wind River Systems VxWorks debug service enabled. "
           .. "See http://www.kb.cert.org/vuls/id/362332"
  out["Agent version"] = info.agent
  out["VxWorks version"] = info.rt
  out["Board Support Package"] = info.bsp
  out["Boot line"] = info.bootline
  return out
end

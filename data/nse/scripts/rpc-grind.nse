description = [[
Finds which ONC RPC program listens on a port (RFC 5531 "RPC grinding"):
first an RPC NULL call for a program nobody uses tells whether the port
speaks RPC at all; then NULL calls with an unsupported version for each
program number netkit knows (its sunrpc table and /etc/rpc): the one that
answers PROG_MISMATCH is the program, and its lowest and highest versions
come with that answer. Sets the port's service (program name, versions,
"RPC #number"); prints nothing. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local nmap = require "nmap"
local stdnse = require "stdnse"
local sunrpc = require "sunrpc"

-- a port -sV did not name (or named only from the port table), or one
-- named as RPC without its program
portrule = function(host, port)
  if port.state ~= "open" and port.state ~= "open|filtered" then return false end
  if port.protocol ~= "tcp" and port.protocol ~= "udp" then return false end
  local v = port.version or {}
  if v.extrainfo and tostring(v.extrainfo):match("^RPC #") then return false end
  return v.service_dtype ~= "probed" or v.name == "rpcbind" or v.name == "rpc"
end

local BOGUS_VERSION = 0x0badbeef

local function programs()
  local seen, list = {}, {}
  local function add(p)
    if p ~= 100000 and not seen[p] then seen[p] = true; list[#list + 1] = p end
  end
  for p in pairs(sunrpc.NAMES) do add(p) end
  local f = io.open("/etc/rpc")
  if f then
    for line in f:lines() do
      local p = line:match("^[%w_.-]+%s+(%d+)")
      if p then add(tonumber(p)) end
    end
    f:close()
  end
  table.sort(list)
  table.insert(list, 1, 100000)
  return list
end

action = function(host, port)
  local proto = port.protocol
  local sock = nmap.new_socket(proto)
  -- the first call's wait from the scan's round-trip timeout (4x, 0.5 to
  -- 3 s): a port that does not speak RPC mostly stays silent
  local t = host.times and tonumber(host.times.timeout)
  sock:set_timeout(t and math.floor(math.max(500, math.min(3000, t * 4000))) or 3000)
  if not sock:connect(host, port, proto) then return nil end
  -- program 0x7fff0000 is in no registry: any RPC server refuses it
  local r = sunrpc.exchange(sock, proto, 0x7fff0000, BOGUS_VERSION, 0)
  if not r or r.denied then
    sock:close()
    stdnse.debug1("Target port %d is not a RPC port.", port.number)
    return nil
  end
  sock:set_timeout(3000)
  for _, prog in ipairs(programs()) do
    r = sunrpc.exchange(sock, proto, prog, BOGUS_VERSION, 0)
    if not r then
      sock:close()
      sock = nmap.new_socket(proto)
      sock:set_timeout(3000)
      if not sock:connect(host, port, proto) then return nil end
    elseif r.accept == 2 and r.low then
      sock:close()
      port.version = port.version or {}
      port.version.name = sunrpc.name(prog) or "rpc"
      port.version.version = r.low == r.high and tostring(r.low) or (r.low .. "-" .. r.high)
      port.version.extrainfo = "RPC #" .. prog
      port.version.product = nil
      nmap.set_port_version(host, port, "hardmatched")
      return nil
    end
  end
  sock:close()
  return nil
end

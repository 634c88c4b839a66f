description = [[
Says hello in Tridium Niagara's Fox protocol (TCP 1911, 4911 over TLS)
and shows what the station tells about itself: Fox version, host name and
address, application, Java VM, OS, station name, language, time zone and
ids. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({1911, 4911}, "niagara-fox", "tcp")

local FIELDS = {{"fox.version", "fox.version"}, {"hostName", "hostname"},
                {"hostAddress", "host address"}, {"app.name", "application name"},
                {"app.version", "application version"}, {"vm.name", "vm name"},
                {"vm.version", "vm version"}, {"os.name", "os name"},
                {"os.version", "os version"}, {"station.name", "station name"},
                {"lang", "language"}, {"timeZone", "time zone"}, {"hostId", "host id"},
                {"vmUuid", "vm uuid"}, {"brandId", "brand id"}}

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.number == 4911 and "ssl" or "tcp") then return nil end
  sock:send("fox a 1 -1 fox hello\n{\nfox.version=s:1.0\nid=i:1\n};;\n")
  local buf = ""
  while not buf:find("};;", 1, true) do
    local ok, d = sock:receive()
    if not ok then break end
    buf = buf .. d
  end
  sock:close()
  if not buf:match("^fox a 0") then return nil end
  local kv = {}
  for k, v in buf:gmatch("\n([%w.]+)=%a:([^\n]*)") do kv[k] = v end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    local v = kv[f[1]]
    if v then out[f[2]] = (f[1] == "timeZone") and v:gsub(";.*", "") or v end
  end
  port.version = port.version or {}
  port.version.name = "niagara-fox"
  port.version.product = "Tridium Niagara"
  port.version.version = kv["app.version"]
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

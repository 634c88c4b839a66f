description = [[
Asks a Docker Engine API (HTTP, ports 2375 and 2376) for GET /version and
shows the JSON object it returns (Version, ApiVersion, GitCommit, GoVersion,
Os, Arch, KernelVersion, ...); the port's version record becomes Docker's.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local http = require "http"
local json = require "json"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({2375, 2376}, {"docker"})

action = function(host, port)
  local resp = http.get(host, port, "/version")
  if not resp.status or resp.status ~= 200 or not resp.body then return nil end
  local ok, v = json.parse(resp.body)
  if not ok or json.typeof(v) ~= "object" or not v.Version then return nil end
  port.version = port.version or {}
  port.version.name = "docker"
  port.version.product = "Docker"
  port.version.version = tostring(v.Version)
  nmap.set_port_version(host, port, "hardmatched")
  local out = stdnse.output_table()
  local keys = stdnse.keys(v)
  table.sort(keys)
  for _, k in ipairs(keys) do
    local x = v[k]
    if type(x) ~= "table" then out[k] = tostring(x) end
  end
  return out
end

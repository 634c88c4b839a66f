description = [[
Asks a VMware web service (ESX, ESXi, vCenter: the vSphere API's /sdk)
for RetrieveServiceContent and shows the product's name, version, build,
locale, OS type and product line. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "version"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local BODY = '<soap:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
  .. 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
  .. 'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
  .. '<RetrieveServiceContent xmlns="urn:internalvim25"><_this xsi:type="ManagedObjectReference" '
  .. 'type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>'
  .. '</soap:Body></soap:Envelope>'

local FIELDS = {{"fullName", "Server version"}, {"build", "Build"}, {"localeVersion",
                "Locale version"}, {"osType", "OS type"}, {"productLineId", "Product Line ID"}}

action = function(host, port)
  local resp = http.post(host, port, "/sdk",
                         {header = {["Content-Type"] = "text/xml; charset=\"utf-8\""}},
                         nil, BODY)
  local body = resp.body
  if not body or not body:find("<about>", 1, true) then return nil end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do out[f[2]] = body:match("<" .. f[1] .. ">(.-)</" .. f[1] .. ">") end
  local name, version = body:match("<name>(.-)</name>"), body:match("<version>(.-)</version>")
  if name then
    port.version = port.version or {}
    port.version.product = name
    port.version.version = version
    nmap.set_port_version(host, port, "hardmatched")
  end
  return out
end

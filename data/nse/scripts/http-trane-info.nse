description = [[
Asks an HTTP server for /evox/about (the oBIX "about" object Trane Tracer
SC building controllers serve) and shows the controller's product name,
version, server name, vendor and model; the port's version record takes
them. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "version", "safe"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

-- oBIX: <str name="productName" val="..."/>
local FIELDS = {{"serverName", "serverName"}, {"serverTime", "serverTime"},
                {"serverBootTime", "serverBootTime"}, {"vendorName", "vendorName"},
                {"productName", "productName"}, {"productVersion", "productVersion"},
                {"modelName", "modelName"}}

action = function(host, port)
  local resp = http.get(host, port, "/evox/about")
  local body = resp.status == 200 and resp.body
  if not body or not body:find("<obj", 1, true) then return nil end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    out[f[2]] = body:match('name="' .. f[1] .. '"%s+val="([^"]*)"')
  end
  if not out.productName then return nil end
  port.version = port.version or {}
  port.version.product = out.productName
  port.version.version = out.productVersion
  nmap.set_port_version(host, port, "hardmatched")
  return out
end

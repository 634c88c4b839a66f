description = [[
Shows the Server header of an HTTP server's response to GET / (RFC 9110,
the Server field); in the version category, so -sV runs it (at version
intensity 7 and above, after https-redirect). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

dependencies = {"https-redirect"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"

portrule = function(host, port)
  local v = port.version or {}
  if nmap.version_intensity() < 7 then return false end
  return shortport.http(host, port) or v.name == "http" or v.name == "https"
end

action = function(host, port)
  local resp = http.get(host, port, "/")
  local server = resp.header and resp.header.server
  if not server then return nil end
  return {server}, server
end

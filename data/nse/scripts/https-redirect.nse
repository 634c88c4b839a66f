description = [[
Finds HTTP services that answer plain HTTP with a redirect to https:// on
the same port (RFC 9110's Location): the port then speaks TLS, and its
version record is marked as tunnelled through SSL. Runs at version
intensity 7 and above. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"

portrule = function(host, port)
  if port.version and port.version.service_tunnel == "ssl" then return false end
  return shortport.http(host, port) and nmap.version_intensity() >= 7
end

action = function(host, port)
  local resp = http.get(host, port, "/")
  local loc = resp and resp.status and resp.status >= 300 and resp.status < 400
              and resp.header and resp.header.location
  if not loc then return nil end
  local h, p = loc:match("^[Hh][Tt][Tt][Pp][Ss]://([^/:]+):?(%d*)")
  if not h then return nil end
  p = tonumber(p) or 443
  if p ~= port.number then return nil end
  port.version = port.version or {}
  port.version.service_tunnel = "ssl"
  port.version.name = port.version.name == "http" and "https" or port.version.name
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

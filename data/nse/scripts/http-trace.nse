description = [[
Sends TRACE / (RFC 9110 section 9.3.8) and reports a server that echoes
the request back: TRACE enabled. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"vuln", "discovery", "safe"}

local http = require "http"
local shortport = require "shortport"

portrule = shortport.http

action = function(host, port)
  local r = http.generic_request(host, port, "TRACE", "/")
  if r.status == 200 and r.body and r.body:match("^TRACE / HTTP/1%.1") then
    return "TRACE is enabled"
  end
  return nil
end

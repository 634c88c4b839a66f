description = [[
Shows the header fields of an HTTP server's answer to HEAD / (GET when
HEAD fails), in the server's order (RFC 9110). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

action = function(host, port)
  local path = stdnse.get_script_args("http-headers.path") or "/"
  local kind = "HEAD"
  local resp = http.head(host, port, path)
  if not resp.status then
    kind = "GET"
    resp = http.get(host, port, path)
  end
  if not resp.status then return nil end
  local out = {}
  for _, l in ipairs(resp.rawheader) do out[#out + 1] = l end
  out[#out + 1] = ""
  out[#out + 1] = ("(Request type: %s)"):format(kind)
  return out
end

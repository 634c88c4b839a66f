description = [[
Shows the authentication an HTTP server asks for at / : the schemes and
parameters of each WWW-Authenticate field of a 401 answer (RFC 9110
section 11.6.1). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "auth", "safe"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

action = function(host, port)
  local path = stdnse.get_script_args("http-auth.path") or "/"
  local r = http.get(host, port, path)
  if r.status ~= 401 then return nil end
  local out = {"HTTP/1.1 401 Unauthorized\x0D"}
  for _, l in ipairs(r.rawheader) do
    local v = l:match("^[Ww][Ww][Ww]%-[Aa]uthenticate:%s*(.*)$")
    if v then
      local scheme, params = v:match("^(%S+)%s*(.*)$")
      local line = "  " .. scheme
      for k, pv in params:gmatch('([%w_-]+)="?([^",]*)"?') do
        line = line .. " " .. k .. "=" .. pv
      end
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n")
end

description = [[
Reads /robots.txt (RFC 9309) and lists its Disallow entries. netkit's
script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local http = require "http"
local shortport = require "shortport"

portrule = shortport.http

action = function(host, port)
  local r = http.get(host, port, "/robots.txt")
  if r.status ~= 200 or not r.body then return nil end
  local paths, seen = {}, {}
  for p in r.body:gmatch("[Dd]isallow:[ \t]*([^\r\n#]*)") do
    p = p:gsub("%s+$", "")
    if p ~= "" and not seen[p] then seen[p] = true; paths[#paths + 1] = p end
  end
  if #paths == 0 then return nil end
  return ("%d disallowed entr%s \n%s"):format(#paths, #paths == 1 and "y" or "ies",
                                              table.concat(paths, " "))
end

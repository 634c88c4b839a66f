description = [[
Shows the generator a page names in its <meta name="generator"> element
(HTML's standard metadata names). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

action = function(host, port)
  local r = http.get(host, port, stdnse.get_script_args("http-generator.path") or "/",
                     {follow = true})
  if not r.body then return nil end
  for tag in r.body:gmatch("<[Mm][Ee][Tt][Aa]([^>]*)>") do
    if tag:lower():find('name%s*=%s*["\']?generator') then
      local c = tag:match('[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%s*=%s*"([^"]*)"')
        or tag:match("[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%s*=%s*'([^']*)'")
      if c then return c end
    end
  end
  return nil
end

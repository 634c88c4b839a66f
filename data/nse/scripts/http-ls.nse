description = [[
Shows the directory listing a web server generates at / (an "Index of"
page of links to the directory's entries, as Apache's and nginx's
autoindex write them). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

action = function(host, port)
  local path = stdnse.get_script_args("http-ls.url") or "/"
  local r = http.get(host, port, path)
  if r.status ~= 200 or not r.body then return nil end
  local title = r.body:match("<[Tt][Ii][Tt][Ll][Ee]>([^<]*)")
  if not title or not title:find("^Index of") then
    return nil
  end
  local out = {"Volume " .. path}
  for href in r.body:gmatch('<[Aa] [^>]-[Hh][Rr][Ee][Ff]="([^"?]+)"') do
    if href ~= "../" and href:sub(1, 1) ~= "/" then out[#out + 1] = "  " .. href end
  end
  return table.concat(out, "\n")
end

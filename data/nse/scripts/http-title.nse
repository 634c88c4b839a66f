description = [[
Reads the page at / of an HTTP server and shows its <title>. With no
title it says so and names the page's content type; a redirect to
another host is shown, not followed. netkit's script, written from the
HTML specification (the title element) and RFC 9110.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

action = function(host, port)
  local resp = http.get(host, port, stdnse.get_script_args("http-title.url") or "/",
                        {follow = true})
  if not resp.status then return nil end
  local out = stdnse.output_table()
  if resp.status >= 300 and resp.status < 400 and resp.header.location then
    local url = http.redirect_url(host, port, "/", resp)
    out.redirect_url = url
    return out, "Did not follow redirect to " .. url
  end
  local title = (resp.body or ""):match("<[Tt][Ii][Tt][Ll][Ee][^>]*>([^<]*)<")
  if title then
    title = title:gsub("[\r\n\t ]+", " "):gsub("^ ", ""):gsub(" $", "")
    out.title = title
    return out, title
  end
  local ctype = resp.header["content-type"]
  return out, "Site doesn't have a title" .. (ctype and (" (" .. ctype .. ").") or ".")
end

description = [[
Fetches the web server's /favicon.ico and names what serves it by the
icon's MD5 hash, from netkit's own table (nselib/data/favicons.txt, each
entry with the package its icon came from); an icon the table does not
know is shown as "Unknown favicon MD5: " and the hash, in nmap's words.
netkit's script. The script argument http-favicon.uri fetches another
path; http-favicon.favicondb names another table (same format).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local http = require "http"
local nmap = require "nmap"
local openssl = require "openssl"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

-- the table: MD5 (lower-case hex) -> name
local function load_db()
  local path = stdnse.get_script_args("http-favicon.favicondb")
    or nmap.fetchfile("nselib/data/favicons.txt")
  local db = {}
  local f = path and io.open(path)
  if not f then return db end
  for line in f:lines() do
    local md5, name = line:match("^(%x+)\t([^\t]+)")
    if md5 then db[md5:lower()] = name end
  end
  f:close()
  return db
end

action = function(host, port)
  local uri = stdnse.get_script_args("http-favicon.uri") or "/favicon.ico"
  local resp = http.get(host, port, uri)
  if resp.status ~= 200 or not resp.body or resp.body == "" then return nil end
  local md5 = stdnse.tohex(openssl.md5(resp.body))
  local name = load_db()[md5:lower()]
  if name then return name end
  return "Unknown favicon MD5: " .. md5:upper()
end

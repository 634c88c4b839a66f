description = [[
netkit's test of nmap.new_socket: connect, send, receive_lines,
receive_buf, get_info, close, and the errors of a closed port and a
closed socket.
]]
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local nmap = require "nmap"
local stdnse = require "stdnse"

portrule = function(host, port) return port.number == 8000 and port.protocol == "tcp" end

action = function(host, port)
  local out = stdnse.output_table()
  local s = nmap.new_socket()
  s:set_timeout(5000)
  local ok, err = s:connect(host, port)
  out.connect = tostring(ok)
  ok, err = s:send("HEAD / HTTP/1.0\r\n\r\n")
  out.send = tostring(ok)
  local status, line = s:receive_buf("\r\n", false)
  out.status_line = line
  local st2, rest = s:receive_buf("\r\n\r\n", true)
  out.header_end = tostring(st2 and rest:sub(-4) == "\r\n\r\n")
  local st3, e3 = s:receive()
  out.after_eof = tostring(st3) .. " " .. tostring(e3)
  local i1, lhost, lport, rhost, rport = s:get_info()
  out.info = tostring(i1) .. " " .. tostring(rhost) .. " " .. tostring(rport)
  s:close()
  local st4, e4 = pcall(s.send, s, "x")
  out.closed_send = tostring(st4) .. " " .. tostring(e4):gsub("^.*: ", "")
  local c = nmap.new_socket()
  c:set_timeout(2000)
  local st5, e5 = c:connect(host.ip, 8001)
  out.refused = tostring(st5) .. " " .. tostring(e5)
  return out
end

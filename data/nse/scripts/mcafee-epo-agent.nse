description = [[
Asks the HTTP server of a McAfee ePolicy Orchestrator (ePO) agent (its
agent wake-up port, 8081 by default) for "/": the agent answers with its
XML log page, a naLog document whose elements name the agent's version,
the computer, the ePO server it reports to and the agent's GUID. Those
become the port's product, version, extra information and host name.
netkit's script, from the agent's documented HTTP interface (McAfee
Agent product guide: the agent's log over HTTP on the wake-up port).
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"version", "safe"}

local http = require "http"
local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(8081, "mcafee-epo-agent", "tcp")

local function element(body, name)
  return body:match("<" .. name .. ">([^<]*)</" .. name .. ">") or ""
end

action = function(host, port)
  local resp = http.get(host, port, "/")
  local body = resp and resp.body
  if not body or not body:find("<naLog>", 1, true) then return nil end
  port.version = port.version or {}
  port.version.name = "http"
  port.version.product = "McAfee ePolicy Orchestrator Agent"
  port.version.version = element(body, "version")
  port.version.extrainfo = ("ePOServerName: %s, AgentGuid: %s"):format(
    element(body, "ePOServerName"), element(body, "AgentGUID"))
  local computer = element(body, "ComputerName")
  if computer ~= "" then port.version.hostname = computer end
  nmap.set_port_version(host, port, "hardmatched")
  return nil
end

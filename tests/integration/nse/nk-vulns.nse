description = [[
netkit's test of the vulns library: a host script that reports made-up
vulnerabilities in each state, with IDs, scores, dates, references,
check results and extra information, through vulns.Report:make_output.
]]
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local nmap = require "nmap"
local vulns = require "vulns"

hostrule = function() return true end

action = function(host)
  local report = vulns.Report:new(SCRIPT_NAME, host)
  local a = {
    title = "netkit test flaw one",
    state = vulns.STATE.VULN,
    IDS = {CVE = "CVE-2000-0001", BID = "1234"},
    risk_factor = "High",
    scores = {CVSSv2 = "7.5 (HIGH) (AV:N/AC:L/Au:N/C:P/I:P/A:P)"},
    description = [[
A made-up flaw that only netkit's tests report. Its description runs over
more than one line.]],
    dates = {disclosure = {year = "2020", month = "02", day = "29"}},
    references = {"https://example.invalid/one", "https://example.invalid/two"},
    check_results = {"first check", "second check"},
    extra_info = "Something more",
    exploit_results = {"exploited"},
  }
  local b = {
    title = "netkit test flaw two",
    state = vulns.STATE.LIKELY_VULN,
    IDS = {OSVDB = "42"},
    description = "Short one.",
  }
  local c = {title = "netkit test flaw three", state = vulns.STATE.NOT_VULN}
  local d = {title = "netkit test flaw four", state = vulns.STATE.EXPLOIT,
             description = "Exploited.", references = {"https://example.invalid/four"}}
  local e = {title = "netkit test flaw five", state = vulns.STATE.DoS, IDS = {CVE = "CVE-2000-0005"}}
  local which = (nmap.registry.args["nk-vulns.which"] or "a,b,c,d,e")
  local list = {}
  for w in which:gmatch("[^,+]+") do
    list[#list + 1] = ({a = a, b = b, c = c, d = d, e = e})[w]
  end
  if nmap.registry.args["nk-vulns.add"] then
    -- every one through add_vulns, then make_output() alone
    for _, v in ipairs(list) do report:add_vulns(SCRIPT_NAME, v) end
    return report:make_output()
  end
  if #list == 1 then return report:make_output(list[1]) end
  return report:make_output(table.unpack(list))
end

description = "three"
categories = {"safe"}
hostrule = function(host) return true end
action = function(host)
  return {"a", {"b", "c"}, key = "v"}, "string wins"
end

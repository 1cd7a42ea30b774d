-- Argo CD health check for security.reloadly.dev/ReloadlyCredential (docs/argocd/README.md).
-- Health comes only from metadata.generation, status.observedGeneration and status.conditions;
-- the message always says why, the most important problem first.
--
-- Without useOpenLibs, Argo CD runs this in a Lua state that has only the base, package and table
-- libraries and a safe os subset (util/lua/lua.go, runLua): no string, math or io library, and
-- strings have no methods. This script calls no library function at all, not even a base one
-- such as ipairs or tostring: it uses the language alone (numeric for loops over #, .. to join
-- text, comparisons), so it runs the same whether useOpenLibs is set or not.

-- The condition of the given type, or nil.
local function condition(conditions, kind)
  for i = 1, #conditions do
    if conditions[i].type == kind then
      return conditions[i]
    end
  end
  return nil
end

local function is(c, value)
  return c ~= nil and c.status == value
end

-- A condition's message, or a fallback: Argo CD shows the message, so it is never empty.
local function said(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local function reason(c)
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return "no reason given"
end

local function join(parts, separator)
  local text = ""
  for i = 1, #parts do
    if i > 1 then
      text = text .. separator
    end
    text = text .. parts[i]
  end
  return text
end

local hs = {}
local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local status = obj.status

if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator: no status yet"
  return hs
end
if generation ~= nil and status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
      .. " (status describes generation " .. status.observedGeneration .. ")"
  return hs
end

local conditions = status.conditions
if conditions == nil then
  conditions = {}
end
local ready = condition(conditions, "Ready")
local compromised = condition(conditions, "CredentialCompromised")
local overdue = condition(conditions, "RotationOverdue")
local due = condition(conditions, "RotationDue")
local valid = condition(conditions, "CredentialValid")
local rollout = condition(conditions, "RolloutComplete")
local compliant = condition(conditions, "Compliant")

-- Degraded: what needs a person, most important first. The message tells the first in full and
-- names the others.
local problems = {}
local labels = {}
local function problem(label, text)
  problems[#problems + 1] = text
  labels[#labels + 1] = label
end

if is(compromised, "True") then
  -- True only while nothing replaces the compromised version (False, Replaced, once it is).
  problem("compromised", "Compromised: " .. said(compromised,
      "a version was reported compromised and no new version replaces it yet"))
end
if is(ready, "False") then
  if ready.reason == "ComplianceBlocked" then
    -- The go-live gate of compliance.enforcement block: a first release waits for its checks.
    problem("compliance blocked", "Compliance blocked: " .. said(ready,
        "not released while a compliance check fails"))
  else
    problem("not ready: " .. reason(ready), "Not ready (" .. reason(ready) .. "): "
        .. said(ready, "see the Ready condition"))
  end
end
if is(overdue, "True") then
  problem("rotation overdue", "Rotation overdue: " .. said(overdue,
      "the current version is older than rotation.maxAge"))
end
if is(rollout, "False") and rollout.reason == "RolloutStalled" then
  problem("rollout stalled", "Rollout stalled: " .. said(rollout,
      "a consumer workload did not become healthy"))
end

if #problems > 0 then
  hs.status = "Degraded"
  hs.message = problems[1]
  if #problems > 1 then
    local others = {}
    for i = 2, #labels do
      others[#others + 1] = labels[i]
    end
    hs.message = hs.message .. " (also: " .. join(others, ", ") .. ")"
  end
  return hs
end

if not is(ready, "True") then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report Ready"
  return hs
end

-- Healthy: the target Secret serves a version. What the owner should still know comes first.
local notes = {}
if is(valid, "False") then
  -- A new version was offered but not accepted (rejected by Reloadly, still being tested, or
  -- compromised); the current version keeps serving.
  notes[#notes + 1] = "New version not accepted (" .. reason(valid) .. "): "
      .. said(valid, "see the CredentialValid condition")
end
if is(due, "True") then
  notes[#notes + 1] = "Rotation due: " .. said(due, "rotate the credential in the Reloadly portal")
end
if is(rollout, "False") then
  notes[#notes + 1] = "Consumers rolling (" .. reason(rollout) .. "): "
      .. said(rollout, "see the RolloutComplete condition")
end
if is(compliant, "False") then
  notes[#notes + 1] = "Compliance checks fail: " .. said(compliant, "see status.compliance")
end
notes[#notes + 1] = said(ready, "Ready")
hs.status = "Healthy"
hs.message = join(notes, "; ")
return hs

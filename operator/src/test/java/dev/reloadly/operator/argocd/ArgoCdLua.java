package dev.reloadly.operator.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;

/**
 * Runs an Argo CD health script as Argo CD does when the customization does not set
 * {@code useOpenLibs}: a fresh Lua state per call with the resource as the global {@code obj},
 * and the returned table read as {@code status} and {@code message}.
 */
final class ArgoCdLua {
  /** The health codes Argo CD accepts; any other status becomes Unknown. */
  static final Set<String> HEALTH_CODES =
      Set.of("Unknown", "Progressing", "Suspended", "Healthy", "Degraded", "Missing");

  private ArgoCdLua() {}

  record Health(String status, String message) {}

  /**
   * The globals Argo CD gives a health script without useOpenLibs (util/lua/lua.go, runLua:
   * {@code SkipOpenLibs}, then only the package, base and table libraries are opened, plus a safe
   * os with time and date). No string, math, io, coroutine or debug library, and strings have no
   * methods, since only the string library would give them their metatable. os is left out here
   * too: stricter than Argo CD, and the health script needs no clock.
   */
  static Globals sandbox() {
    Globals globals = new Globals();
    globals.load(new BaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    // luaj keeps the string metatable in a static field that its string library sets; nothing in
    // this build loads that library, and clearing it keeps `text:upper()` failing as in Argo CD.
    LuaString.s_metatable = null;
    return globals;
  }

  /**
   * Runs {@code script} on {@code resource} (the object as JSON). A script error throws, as
   * Argo CD then reports the error instead of a health.
   */
  static Health health(String script, JsonNode resource) {
    Globals globals = sandbox();
    globals.set("obj", lua(resource));
    LuaValue returned = globals.load(script, "health.lua").call();
    if (!returned.istable()) {
      throw new IllegalStateException("expect table output from Lua script, not "
          + returned.typename());
    }
    String status = text(returned.get("status"));
    if (!HEALTH_CODES.contains(status)) {
      return new Health("Unknown", "Lua returned an invalid health status");
    }
    return new Health(status, text(returned.get("message")));
  }

  /**
   * JSON to Lua as Argo CD decodes an object: maps and arrays become tables (arrays from index
   * 1), numbers numbers, null nothing.
   */
  static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return LuaValue.valueOf(node.intValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  private static String text(LuaValue value) {
    return value.isnil() ? null : value.tojstring();
  }
}

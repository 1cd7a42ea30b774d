package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * equals and hashCode see every field: a steady state is found by comparing statuses, so a field
 * they miss would never be written when only it changes.
 */
class ReloadlyCredentialStatusTest {
  @Test
  void equalsAndHashCodeSeeEveryField() throws ReflectiveOperationException {
    List<Field> fields = Arrays.stream(ReloadlyCredentialStatus.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).toList();
    assertThat(fields).extracting(Field::getName).contains("currentVersion", "consumerCount");
    for (Field field : fields) {
      ReloadlyCredentialStatus changed = new ReloadlyCredentialStatus();
      field.setAccessible(true);
      field.set(changed, sample(field));

      assertThat(changed).as(field.getName()).isNotEqualTo(new ReloadlyCredentialStatus());
      assertThat(changed.hashCode()).as(field.getName())
          .isNotEqualTo(new ReloadlyCredentialStatus().hashCode());
    }
  }

  /** A value other than the field's initial one. */
  private static Object sample(Field field) throws ReflectiveOperationException {
    Class<?> type = field.getType();
    if (type == String.class) {
      return "x";
    }
    if (type == Long.class) {
      return 7L;
    }
    if (type == Integer.class) {
      return 7;
    }
    if (type == List.class) {
      Class<?> item = (Class<?>) ((ParameterizedType) field.getGenericType())
          .getActualTypeArguments()[0];
      return List.of(item.getConstructor().newInstance());
    }
    return type.getConstructor().newInstance();
  }
}

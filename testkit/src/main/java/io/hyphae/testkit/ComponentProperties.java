package io.hyphae.testkit;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Component property type instances as SCR makes them: a method answers its configured value, else its default. For
 * unit tests of a component's settings without a framework.
 */
public final class ComponentProperties {
    private ComponentProperties() {
    }

    public static <A> A of(Class<A> type, Map<String, Object> configured) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? type.getSimpleName() + configured
                                : method.invoke(configured, args);
                    }
                    return configured.getOrDefault(method.getName(), method.getDefaultValue());
                }));
    }
}

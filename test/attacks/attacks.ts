/**
 * Hostile templates (the classes of known Jinja sandbox escapes and resource attacks). Templates come from
 * other parties, so each of these must end in a clear error or a harmless render, quickly,
 * without touching the host. `mustError`: real Jinja2 raises too (or would never finish), so a
 * silent success would hide something from the user.
 */
export interface Attack {
  id: string;
  cls: 'chain' | 'injection' | 'loader' | 'cpu' | 'memory' | 'regex' | 'cyclic' | 'parse' | 'token';
  template: string;
  mustError?: boolean;
}

const rep = (s: string, n: number) => s.repeat(n);

export const ATTACKS: Attack[] = [
  // --- property / constructor / prototype chains on every kind of value
  { id: 'str_constructor_constructor', cls: 'chain', template: `{{ ''.constructor.constructor('return process')() }}`, mustError: true },
  { id: 'str_var_constructor', cls: 'chain', template: `{{ w.constructor.constructor('return globalThis')().process }}`, mustError: true },
  { id: 'range_constructor', cls: 'chain', template: `{{ range.constructor('return process')() }}`, mustError: true },
  { id: 'list_proto', cls: 'chain', template: `{{ [].__proto__ }}|{{ [].__proto__.push }}|{{ xs.__proto__.constructor }}|{{ xs['__proto__'] }}` },
  { id: 'list_constructor_call', cls: 'chain', template: `{{ [].constructor.constructor('return process.mainModule')() }}`, mustError: true },
  {
    id: 'dict_constructor',
    cls: 'chain',
    template: `{{ d.constructor }}|{{ d['constructor'] }}|{{ d.__proto__ }}|{{ d['__proto__'] }}|{{ d.hasOwnProperty }}|{{ d.toString }}`,
  },
  { id: 'dict_constructor_call', cls: 'chain', template: `{{ d.constructor.constructor('return process')() }}`, mustError: true },
  {
    id: 'number_constructor',
    cls: 'chain',
    template: `{{ (1).constructor }}|{{ 1.5.constructor }}|{{ num.__proto__ }}|{{ none.constructor }}|{{ true.constructor }}|{{ n.constructor }}`,
  },
  { id: 'number_constructor_call', cls: 'chain', template: `{{ num.constructor.constructor('return 1')() }}`, mustError: true },
  { id: 'cycler_globals', cls: 'chain', template: `{{ cycler.__init__.__globals__ }}|{{ cycler.constructor }}|{{ cycler('a').__class__ }}`, mustError: true },
  { id: 'cycler_globals_os', cls: 'chain', template: `{{ cycler.__init__.__globals__.os.popen('id').read() }}`, mustError: true },
  {
    id: 'joiner_call_chain',
    cls: 'chain',
    template: `{{ joiner.__call__.__globals__ }}|{{ joiner().constructor.constructor('return 1')() }}`,
    mustError: true,
  },
  { id: 'self_reference', cls: 'chain', template: `{{ self }}|{{ self.__init__ }}|{{ self._TemplateReference__context }}|{{ self.constructor }}` },
  { id: 'self_globals_call', cls: 'chain', template: `{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}`, mustError: true },
  { id: 'lipsum_globals', cls: 'chain', template: `{{ lipsum.__globals__['os'].popen('id').read() }}`, mustError: true },
  {
    id: 'namespace_class_mro',
    cls: 'chain',
    template: `{{ namespace.__class__.__mro__ }}|{{ namespace().__class__ }}|{{ w.__class__.__mro__[1].__subclasses__() }}`,
    mustError: true,
  },
  {
    id: 'namespace_proto_assign',
    cls: 'chain',
    template: `{% set ns = namespace() %}{% set ns.__proto__ = 1 %}{% set ns.constructor = 2 %}{% set ns.toString = 3 %}{{ ns.__proto__ }}{{ ns.constructor }}{{ {}.toString }}`,
  },
  {
    id: 'dict_update_proto_pollution',
    cls: 'chain',
    template: `{% set x = {} %}{{ x.update({'__proto__': {'polluted': 1}}) }}{{ {}.polluted }}{{ x.polluted }}|{{ dict(__proto__=1) }}|{% set y = {'__proto__': {'isAdmin': true}} %}{{ y.isAdmin }}{{ {}.isAdmin }}`,
  },
  { id: 'dict_setdefault_proto', cls: 'chain', template: `{{ d.setdefault('__proto__', {}).update({'polluted': 1}) }}{{ {}.polluted }}{{ [].polluted }}` },
  {
    id: 'macro_internals',
    cls: 'chain',
    template: `{% macro m() %}x{% endmacro %}{{ m.constructor }}|{{ m.__call__ }}|{{ m.__globals__ }}|{{ m._func }}|{{ m.constructor.constructor('return 1')() }}`,
    mustError: true,
  },
  {
    id: 'caller_internals',
    cls: 'chain',
    template: `{% macro m() %}{{ caller.constructor.constructor('return process')() }}{% endmacro %}{% call m() %}x{% endcall %}`,
    mustError: true,
  },
  {
    id: 'loop_object_chain',
    cls: 'chain',
    template: `{% for x in [1] %}{{ loop.constructor }}{{ loop.__class__ }}{{ loop.constructor.constructor('return 1')() }}{% endfor %}`,
    mustError: true,
  },
  {
    id: 'bound_method_chain',
    cls: 'chain',
    template: `{{ w.upper.constructor }}|{{ w.upper.__self__ }}|{{ w.upper.__globals__ }}|{{ d.items.bind }}|{{ w.upper.call }}|{{ w.upper.apply }}`,
  },
  { id: 'bound_method_call_apply', cls: 'chain', template: `{{ w.upper.call(1) }}{{ w.upper.apply(none, []) }}`, mustError: true },
  {
    id: 'global_names',
    cls: 'chain',
    template: `{{ constructor }}|{{ __proto__ }}|{{ globalThis }}|{{ process }}|{{ this }}|{{ window }}|{{ module }}|{{ exports }}|{{ __dirname }}|{{ hasOwnProperty }}|{{ valueOf }}`,
  },
  { id: 'global_call_require', cls: 'chain', template: `{{ require('fs').writeFileSync('pwned', 'x') }}`, mustError: true },
  { id: 'global_call_toString', cls: 'chain', template: `{{ toString() }}`, mustError: true },
  { id: 'filter_through_prototype', cls: 'chain', template: `{{ 1|constructor }}`, mustError: true },
  { id: 'filter_proto_names', cls: 'chain', template: `{{ 1|__proto__ }}{{ 1|toString }}{{ 1|hasOwnProperty }}`, mustError: true },
  { id: 'test_through_prototype', cls: 'chain', template: `{{ 1 is constructor }}{{ 1 is hasOwnProperty }}{{ 1 is __proto__ }}`, mustError: true },
  { id: 'filter_names_as_strings', cls: 'chain', template: `{{ xs|map('constructor')|list }}`, mustError: true },
  { id: 'test_names_as_strings', cls: 'chain', template: `{{ xs|select('constructor')|list }}{{ xs|reject('__proto__')|list }}`, mustError: true },
  {
    id: 'attribute_params',
    cls: 'chain',
    template: `{{ users|map(attribute='constructor')|list }}|{{ users|map(attribute='__proto__.constructor')|list }}|{{ users|sort(attribute='__proto__')|length }}|{{ users|groupby('constructor')|list|length }}|{{ users|sum(attribute='constructor.name', start='') }}`,
  },
  { id: 'attr_filter', cls: 'chain', template: `{{ w|attr('constructor') }}|{{ d|attr('__proto__') }}|{{ (w|attr('constructor'))|attr('constructor') }}` },
  { id: 'attr_filter_call', cls: 'chain', template: `{{ (w|attr('constructor')|attr('constructor'))('return process')() }}`, mustError: true },
  {
    id: 'format_attr_access',
    cls: 'chain',
    template: `{{ '{0.constructor.constructor}'.format(w) }}{{ '{0.__class__}'.format(w) }}{{ '{0[__proto__]}'.format(d) }}`,
  },
  { id: 'percent_dict_proto', cls: 'chain', template: `{{ '%(constructor)s' % d }}{{ '%(__proto__)s' % {} }}`, mustError: true },

  // --- code-generation style injection through names, filter/test names and dict keys
  {
    id: 'inject_symbol_name',
    cls: 'injection',
    template: "{{ a\"^Function`process.mainModule.require('fs').writeFileSync('pwned','x')`^\" }}",
    mustError: true,
  },
  { id: 'inject_filter_name', cls: 'injection', template: `{{ 1|a"+(function(){throw 1})()+" }}`, mustError: true },
  {
    id: 'inject_test_string',
    cls: 'injection',
    template: `{{ 1 is 'defined").call(context,1) && (process.exit(1)) || env.getTest("defined' }}`,
    mustError: true,
  },
  {
    id: 'inject_dict_key_backslash',
    cls: 'injection',
    template: `{{ {'\\\\", context, [1])), process.exit(1)); //': 1} }}|{{ range("\\\\", 1) }}`,
    mustError: true,
  },
  {
    id: 'inject_harmless_keys',
    cls: 'injection',
    template: `{% set k = {'a\\'b': 1, "c\\"d": 2, 'e\\\\f': 3, '\${x}': 4, '</script>': 5} %}{{ k }}{{ k|tojson }}`,
  },
  { id: 'inject_backtick_string', cls: 'injection', template: '{{ `process` }}', mustError: true },
  { id: 'inject_template_literal_text', cls: 'injection', template: '${process.exit(1)} `${1}` \\u0000 {{ "${process}" }} */ // <!-- -->' },
  { id: 'inject_unicode_names', cls: 'injection', template: `{{ \u0441onstructor }}{{ x\u200b }}{{ a\u2028b }}` },
  {
    id: 'inject_set_names',
    cls: 'injection',
    template: `{% set constructor = 1 %}{% set __proto__ = 2 %}{% set toString = 3 %}{% set hasOwnProperty = 4 %}{{ constructor }}{{ __proto__ }}{{ toString }}{{ hasOwnProperty }}{{ {}.toString }}`,
  },
  {
    id: 'inject_macro_names',
    cls: 'injection',
    template: `{% macro constructor(__proto__, toString=1) %}{{ __proto__ }}{{ toString }}{% endmacro %}{{ constructor(5) }}{% macro __proto__() %}p{% endmacro %}{{ __proto__() }}`,
  },
  {
    id: 'inject_for_targets',
    cls: 'injection',
    template: `{% for __proto__, constructor in [(1, 2)] %}{{ __proto__ }}{{ constructor }}{% endfor %}{% with prototype = 1 %}{{ prototype }}{% endwith %}`,
  },

  // --- loaders: there are none; nothing is read from disk
  { id: 'include_etc_passwd', cls: 'loader', template: `{% include '/etc/passwd' %}`, mustError: true },
  { id: 'include_relative', cls: 'loader', template: `{% include '../../package.json' %}{% include 'package.json' ignore missing %}`, mustError: true },
  { id: 'import_file', cls: 'loader', template: `{% import 'etc/hostname' as h %}{{ h }}`, mustError: true },
  { id: 'from_import', cls: 'loader', template: `{% from '/etc/hosts' import x %}{{ x }}`, mustError: true },
  { id: 'extends_file', cls: 'loader', template: `{% extends '/etc/hostname' %}{% block b %}{% endblock %}`, mustError: true },
  { id: 'include_list', cls: 'loader', template: `{% include ['/etc/passwd', 'package.json'] %}`, mustError: true },

  // --- CPU
  { id: 'huge_range_loop', cls: 'cpu', template: `{% for i in range(10**9) %}{% endfor %}done`, mustError: true },
  { id: 'huge_range_list', cls: 'memory', template: `{{ range(10**9)|list|length }}`, mustError: true },
  {
    id: 'huge_range_filters',
    cls: 'cpu',
    template: `{{ range(10**9)|sum }}{{ range(10**9)|reverse|first }}{{ range(10**9)|batch(2)|first }}`,
    mustError: true,
  },
  {
    id: 'exponential_macro',
    cls: 'cpu',
    template: `{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}`,
    mustError: true,
  },
  { id: 'unbounded_recursion', cls: 'cpu', template: `{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}`, mustError: true },
  {
    id: 'recursive_loop_deep',
    cls: 'cpu',
    template: `{% set t = [] %}{% for _ in range(1) %}{% endfor %}{% for x in [[[[[[[[[[1]]]]]]]]]] recursive %}{% if x is iterable %}{{ loop(x) }}{{ loop(x) }}{% endif %}{% endfor %}ok`,
  },
  {
    id: 'nested_loops_output',
    cls: 'cpu',
    template: `{% for a in range(100000) %}{% for b in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}`,
    mustError: true,
  },
  {
    id: 'caller_doubling',
    cls: 'cpu',
    template: `{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}` + rep('{% call m() %}', 40) + 'x' + rep('{% endcall %}', 40),
    mustError: true,
  },
  // Python iterates the live list and never ends; an engine that iterates a snapshot ends harmlessly.
  { id: 'self_extending_loop', cls: 'cpu', template: `{% set l = [1] %}{% for x in l %}{% set _ = l.append(x) %}{% endfor %}{{ l|length }}` },
  { id: 'pow_tower', cls: 'cpu', template: `{{ 10 ** 10 ** 10 }}|{{ 2 ** 10**9 }}|{{ (10**300) * (10**300) }}` },
  { id: 'slice_filter_count_bomb', cls: 'cpu', template: `{{ xs|slice(10**9)|list|length }}`, mustError: true },
  { id: 'batch_bomb', cls: 'memory', template: `{{ xs|batch(10**9, 'x')|list|length }}`, mustError: true },

  // --- memory: string and list bombs
  { id: 'string_repeat', cls: 'memory', template: `{{ 'x' * 10**9 }}`, mustError: true },
  { id: 'string_repeat_nested', cls: 'memory', template: `{{ ('x' * 10**6) * 10**3 }}`, mustError: true },
  { id: 'list_repeat', cls: 'memory', template: `{{ [1] * 10**9 }}`, mustError: true },
  {
    id: 'list_doubling_concat',
    cls: 'memory',
    template: `{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}`,
    mustError: true,
  },
  {
    id: 'list_doubling_extend',
    cls: 'memory',
    template: `{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}{{ l|length }}`,
    mustError: true,
  },
  {
    id: 'string_doubling',
    cls: 'memory',
    template: `{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}`,
    mustError: true,
  },
  { id: 'center_bomb', cls: 'memory', template: `{{ 'x'.center(10**9) }}`, mustError: true },
  { id: 'center_filter_bomb', cls: 'memory', template: `{{ 'x'|center(10**9) }}`, mustError: true },
  { id: 'just_zfill_bombs', cls: 'memory', template: `{{ 'x'.ljust(10**9) }}{{ 'x'.rjust(10**9) }}{{ '1'.zfill(10**9) }}`, mustError: true },
  { id: 'format_width_bomb', cls: 'memory', template: `{{ '{:>1000000000}'.format('x') }}`, mustError: true },
  { id: 'format_precision_bomb', cls: 'memory', template: `{{ '{:.1000000000f}'.format(1.0) }}`, mustError: true },
  { id: 'percent_star_width', cls: 'memory', template: `{{ '%*s' % (1000000000, 'x') }}`, mustError: true },
  { id: 'percent_width_bomb', cls: 'memory', template: `{{ '%01000000000d' % 1 }}{{ '%.1000000000f' % 1 }}`, mustError: true },
  { id: 'format_filter_width', cls: 'memory', template: `{{ '%1000000000s'|format('x') }}`, mustError: true },
  { id: 'indent_bomb', cls: 'memory', template: `{{ 'a\nb'|indent(10**9, true) }}`, mustError: true },
  { id: 'replace_empty_bomb', cls: 'memory', template: `{% set s = 'x' * 100000 %}{{ s.replace('', s)|length }}`, mustError: true },
  { id: 'replace_filter_bomb', cls: 'memory', template: `{% set s = 'x' * 100000 %}{{ s|replace('x', s)|length }}`, mustError: true },
  { id: 'join_bomb', cls: 'memory', template: `{{ range(100000)|join('x' * 100000) }}`, mustError: true },
  { id: 'join_method_bomb', cls: 'memory', template: `{{ ('y' * 100000).join(range(100000)|map('string')) }}`, mustError: true },
  { id: 'wordwrap_truncate_large', cls: 'memory', template: `{{ 'a b'|wordwrap(10**9) }}{{ 'abc'|truncate(10**9) }}{{ 'x'|filesizeformat }}` },
  { id: 'lipsum_bomb', cls: 'memory', template: `{{ lipsum(10**6) }}`, mustError: true },
  { id: 'output_accumulation', cls: 'memory', template: `{% set s = 'x' * 1000000 %}{% for i in range(100) %}{{ s }}{% endfor %}`, mustError: true },
  {
    id: 'filter_block_huge',
    cls: 'memory',
    template: `{% filter upper %}{% for i in range(100000) %}{{ 'abcdefghij' * 100 }}{% endfor %}{% endfilter %}`,
    mustError: true,
  },
  {
    id: 'set_block_huge',
    cls: 'memory',
    template: `{% set b %}{% for i in range(100000) %}{{ 'abcdefghij' * 100 }}{% endfor %}{% endset %}{{ b|length }}`,
    mustError: true,
  },
  { id: 'tojson_huge_indent', cls: 'memory', template: `{{ [[[[1]]]]|tojson(indent=10**8) }}`, mustError: true },
  {
    id: 'dict_items_bomb',
    cls: 'memory',
    template: `{% set ns = namespace(d={}) %}{% for i in range(100000) %}{% set _ = ns.d.update({i: 'v' * 1000}) %}{% endfor %}{{ ns.d|length }}`,
  },

  // --- regex: nothing takes a pattern from the template
  { id: 'regex_literal', cls: 'regex', template: `{{ /(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') }}`, mustError: true },
  {
    id: 'regex_like_filters',
    cls: 'regex',
    template: `{% set s = 'a' * 5000 ~ '!' %}{{ s|replace('(a+)+$', '') }}{{ s.split('(a+)+$')|length }}{{ s.count('(a|a)*') }}{{ s.find('^(a+)+$') }}{{ s|striptags|length }}{{ s|urlize|length }}`,
  },
  { id: 'regex_filters_missing', cls: 'regex', template: `{{ 'aaaa!'|regex_replace('(a+)+$', '') }}`, mustError: true },
  { id: 'regex_tests_missing', cls: 'regex', template: `{{ 'aaaa!' is match('(a+)+$') }}`, mustError: true },
  {
    id: 'striptags_pathological',
    cls: 'regex',
    template: `{{ ('<' * 20000 ~ 'a' ~ '>' * 20000 ~ '<!--' * 5000)|striptags|length }}|{{ ('http://' ~ 'a.' * 20000)|urlize|length }}|{{ ('&' * 20000 ~ ';')|striptags|length }}`,
  },
  { id: 'wordwrap_pathological', cls: 'regex', template: `{{ ('a' * 50000 ~ ' ' * 50000)|wordwrap(3)|length }}|{{ (' \t' * 50000)|wordcount }}` },

  // --- cyclic structures
  { id: 'tojson_cyclic_dict', cls: 'cyclic', template: `{% set x = {} %}{% set _ = x.update({'self': x}) %}{{ x|tojson }}`, mustError: true },
  { id: 'tojson_cyclic_list', cls: 'cyclic', template: `{% set l = [] %}{% set _ = l.append(l) %}{{ l|tojson }}`, mustError: true },
  {
    id: 'print_cyclic',
    cls: 'cyclic',
    template: `{% set l = [1] %}{% set _ = l.append(l) %}{% set x = {} %}{% set _ = x.update({'s': x, 'l': l}) %}{{ l }}|{{ x }}|{{ l|string }}|{{ x|pprint }}`,
  },
  {
    id: 'cyclic_ops',
    cls: 'cyclic',
    template: `{% set l = [] %}{% set _ = l.append(l) %}{{ l == l }}{{ l|length }}{{ l in l }}{{ l|unique|list|length }}{{ l|sort|length }}{{ l|sum(start=[])|length }}{{ l|tojson|length }}`,
    mustError: true,
  },
  {
    id: 'cyclic_namespace',
    cls: 'cyclic',
    template: `{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}|{{ ns.me.me.me }}|{{ ns|tojson }}`,
    mustError: true,
  },

  // --- deep nesting in the parser
  { id: 'deep_parens', cls: 'parse', template: `{{ ${rep('(', 50000)}1${rep(')', 50000)} }}` },
  { id: 'deep_parens_unclosed', cls: 'parse', template: `{{ ${rep('(', 50000)}1 }}`, mustError: true },
  { id: 'deep_lists', cls: 'parse', template: `{{ ${rep('[', 50000)}${rep(']', 50000)} }}` },
  { id: 'deep_dicts', cls: 'parse', template: `{{ ${rep('{"a":', 30000)}1${rep('}', 30000)} }}` },
  { id: 'deep_if', cls: 'parse', template: `${rep('{% if true %}', 50000)}x${rep('{% endif %}', 50000)}` },
  { id: 'deep_if_unclosed', cls: 'parse', template: `${rep('{% if true %}', 50000)}x`, mustError: true },
  { id: 'deep_for', cls: 'parse', template: `${rep('{% for x in [1] %}', 20000)}x${rep('{% endfor %}', 20000)}` },
  { id: 'deep_unary', cls: 'parse', template: `{{ ${rep('-', 50000)}1 }}|{{ ${rep('not ', 50000)}1 }}` },
  { id: 'long_filter_chain', cls: 'parse', template: `{{ 'a'${rep('|upper', 50000)} }}` },
  { id: 'long_attr_chain', cls: 'parse', template: `{{ d${rep('.a', 50000)} }}` },
  { id: 'long_binary_chain', cls: 'parse', template: `{{ 1${rep(' + 1', 50000)} }}|{{ 'a'${rep(' ~ "a"', 50000)} }}|{{ 1${rep(' < 2', 30000)} }}` },
  { id: 'deep_ternary', cls: 'parse', template: `{{ ${rep('1 if 0 else ', 30000)}2 }}` },
  { id: 'deep_macro_nesting', cls: 'parse', template: `${rep('{% macro m() %}', 20000)}x${rep('{% endmacro %}', 20000)}ok` },
  { id: 'deep_call_args', cls: 'parse', template: `{{ ${rep('range(', 30000)}1${rep(')', 30000)} }}`, mustError: true },
  { id: 'many_unclosed_tags', cls: 'parse', template: rep('{% if %}{{ ( {% for %}', 20000), mustError: true },
  { id: 'many_syntax_errors', cls: 'parse', template: rep('{{ 1 + }}{% endif %}{% frob %}', 20000), mustError: true },

  // --- giant single tokens
  { id: 'giant_name', cls: 'token', template: `{{ ${rep('a', 5_000_000)} }}` },
  { id: 'giant_string_literal', cls: 'token', template: `{{ '${rep('x', 5_000_000)}'|length }}` },
  { id: 'giant_int_literal', cls: 'token', template: `{{ ${rep('9', 1_000_000)} }}` },
  { id: 'giant_float_literal', cls: 'token', template: `{{ 0.${rep('1', 1_000_000)} }}|{{ 1${rep('0', 400)}.0 }}` },
  { id: 'giant_text', cls: 'token', template: rep('SELECT 1;\n', 500_000) },
  { id: 'giant_comment', cls: 'token', template: `{# ${rep('x', 5_000_000)} #}ok` },
  { id: 'giant_unterminated_string', cls: 'token', template: `{{ '${rep('x', 5_000_000)} }}`, mustError: true },
  { id: 'giant_raw', cls: 'token', template: `{% raw %}${rep('{{ x }}', 700_000)}{% endraw %}` },
];

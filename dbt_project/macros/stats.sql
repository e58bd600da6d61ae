{#- Confidence intervals in SQL (DESIGN principle 6: every rate has its denominator and CI).
    Both return NULL when the count is NULL (suppressed), so intervals never leak a cell. -#}

{#- Wilson score interval for a proportion x / n at 95 % (z = 1.959964). -#}
{% macro wilson_bound(x, n, side='lower', z=1.959964) -%}
    case when {{ n }} > 0 and {{ x }} is not null then greatest(0.0, least(1.0,
        ( ({{ x }}::double / {{ n }}) + {{ z }}^2 / (2 * {{ n }})
          {{ '-' if side == 'lower' else '+' }} {{ z }} * sqrt(
              ({{ x }}::double / {{ n }}) * (1 - {{ x }}::double / {{ n }}) / {{ n }}
              + {{ z }}^2 / (4 * {{ n }}::double * {{ n }})) )
        / (1 + {{ z }}^2 / {{ n }})))
    end
{%- endmacro %}

{#- Byar's approximation to the exact Poisson interval of a count, as a rate per `per`. -#}
{% macro poisson_rate_bound(x, population, per=10000, side='lower', z=1.959964) -%}
    case when {{ population }} > 0 and {{ x }} is not null then
        {%- if side == 'lower' %}
        case when {{ x }} = 0 then 0.0 else
            {{ x }} * power(1 - 1 / (9.0 * {{ x }}) - {{ z }} / (3 * sqrt({{ x }}::double)), 3)
        end
        {%- else %}
            ({{ x }} + 1) * power(1 - 1 / (9.0 * ({{ x }} + 1)) + {{ z }} / (3 * sqrt({{ x }} + 1.0)), 3)
        {%- endif %}
        * {{ per }} / {{ population }}
    end
{%- endmacro %}
